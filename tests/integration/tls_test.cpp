// chatroomd's TLS listener with real certificates (made by openssl at test time), real TLS
// clients (ours, openssl s_client, Python's ssl module, and OpenSSL directly) and hostile ones.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "net/descriptor_limit.hpp"
#include "support/client_process.hpp"
#include "support/daemon_process.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "support/test_client.hpp"
#include "support/tls_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const TestCertificates& certificates() { return TestCertificates::get(); }

// A daemon with a TLS listener on a free port beside the plain one.
class TlsDaemon {
 public:
  explicit TlsDaemon(std::vector<std::string> extra = {}, const CertificateFiles* files = nullptr) {
    const CertificateFiles& used = files != nullptr ? *files : certificates().server();
    std::vector<std::string> args{"--tls-cert", used.certificate, "--tls-key", used.key, "--tls-port", "0",
                                  "--tls-port-file", dir_.file("tls-port"), "--rate-limit", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_ = std::make_unique<DaemonProcess>(args);
    tls_port_ = static_cast<std::uint16_t>(std::stoi(read_file(dir_.file("tls-port"))));
  }

  DaemonProcess& daemon() { return *daemon_; }
  [[nodiscard]] std::uint16_t plain_port() const { return daemon_->port(); }
  [[nodiscard]] std::uint16_t tls_port() const { return tls_port_; }

 private:
  TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::uint16_t tls_port_ = 0;
};

std::string source_file(const std::string& relative) { return std::string(CHATROOM_SOURCE_DIR) + "/" + relative; }

TEST(Tls, OurClientOpensslSClientAndPythonChatWithEachOtherAndAPlainClient) {
  TlsDaemon server;
  const std::string port = std::to_string(server.tls_port());
  TestClient plain(server.plain_port());
  ClientProcess ours({"--tls", "--ca-file", certificates().ca(), "127.0.0.1", port});
  ClientProcess s_client("openssl", {"s_client", "-connect", "127.0.0.1:" + port, "-CAfile", certificates().ca(),
                                     "-verify_return_error", "-verify_ip", "127.0.0.1", "-quiet"});
  ClientProcess python("python3", {source_file("tests/support/tls_chat_client.py"), "127.0.0.1", port,
                                   certificates().ca()});
  ASSERT_TRUE(ours.wait_for_output("connected to chat room at : 127.0.0.1:" + port, 10s)) << ours.output();
  ASSERT_TRUE(s_client.wait_for_output("connected to chat room at : 127.0.0.1:" + port, 10s)) << s_client.output();
  ASSERT_TRUE(python.wait_for_output("python got: connected to chat room", 10s)) << python.output();

  ours.type("from our client\n");
  s_client.type("from s_client\n");
  python.type("from python\n");
  plain.send("from a plain client\n");
  for (const std::string text : {"from our client", "from s_client", "from python", "from a plain client"}) {
    if (text != "from our client") {
      EXPECT_TRUE(ours.wait_for_output(text, 10s)) << text << "\n" << ours.output();
    }
    if (text != "from s_client") {
      EXPECT_TRUE(s_client.wait_for_output(text, 10s)) << text << "\n" << s_client.output();
    }
    if (text != "from python") {
      EXPECT_TRUE(python.wait_for_output(text, 10s)) << text << "\n" << python.output();
    }
  }
  std::string heard_by_plain;
  for (int i = 0; i < 3; ++i) heard_by_plain += plain.read_line(10s).value_or("");
  for (const std::string text : {"from our client", "from s_client", "from python"}) {
    EXPECT_NE(heard_by_plain.find(text), std::string::npos) << text << " not in " << heard_by_plain;
  }
  EXPECT_TRUE(python.wait_for_output("python connected with TLSv1.3", 1s)) << python.output();
}

TEST(Tls, Utf8AndHostileBytesCrossTlsExactlyAsTheyCrossThePlainPort) {
  TlsDaemon server;
  TlsTestClient sender(server.tls_port(), certificates().ca());
  TlsTestClient tls_reader(server.tls_port(), certificates().ca());
  TestClient plain_reader(server.plain_port());
  const std::string utf8 = "h\xC3\xA9llo w\xC3\xB6rld \xE2\x9C\x93 \xF0\x9F\x98\x80";
  // An escape sequence, BEL and a byte that is not UTF-8: sanitised, never passed on raw.
  const std::string hostile = "\x1b[2Jcaf\xC3\xA9\x07 \xff";
  const std::string long_line(3000, 'L');
  sender.send(utf8 + "\n" + hostile + "\n" + long_line + "\n");
  for (const std::string& expected : {utf8, std::string("[2Jcaf\xC3\xA9 \xEF\xBF\xBD"), long_line}) {
    EXPECT_EQ(tls_reader.read_line(5s), chat_line_from(sender.name(), expected));
    EXPECT_EQ(plain_reader.read_line(5s), chat_line_from(sender.name(), expected));
  }
}

TEST(Tls, PlainTextOnTheTlsPortIsToldAndDroppedWhileTlsClientsChatOn) {
  TlsDaemon server;
  TlsTestClient alice(server.tls_port(), certificates().ca());
  TlsTestClient bob(server.tls_port(), certificates().ca());
  TestClient stranger(server.tls_port(), "127.0.0.1", false);
  const auto sent_at = Clock::now();
  stranger.send("hello, is this the chat?\n");
  const auto answer = stranger.read_until_eof(3s);
  ASSERT_TRUE(answer) << "the plain-text client was not dropped";
  EXPECT_LT(Clock::now() - sent_at, 2s);
  EXPECT_EQ(*answer, "! this port speaks TLS: connect with chatroom --tls\n");
  EXPECT_TRUE(server.daemon().wait_for_log("sent plain text to the TLS port", 3s)) << server.daemon().log();
  alice.send("still here\n");
  EXPECT_EQ(bob.read_line(5s), chat_line_from(alice.name(), "still here"));
}

TEST(Tls, TlsOnThePlainPortIsDroppedWhilePlainClientsChatOn) {
  TlsDaemon server;
  TestClient alice(server.plain_port());
  TestClient bob(server.plain_port());
  const auto started = Clock::now();
  EXPECT_THROW(TlsTestClient(server.plain_port(), certificates().ca()), std::runtime_error);
  EXPECT_LT(Clock::now() - started, 5s);
  EXPECT_TRUE(server.daemon().wait_for_log("spoke TLS to the plain port", 3s)) << server.daemon().log();
  alice.send("nothing happened\n");
  EXPECT_EQ(bob.read_line(5s), chat_line(alice, "nothing happened"));
}

TEST(Tls, AClientStalledMidHandshakeIsCutAtTheHandshakeTimeout) {
  TlsDaemon server({"--tls-handshake-timeout", "1"});
  TestClient stalled(server.tls_port(), "127.0.0.1", false);
  // The start of a ClientHello record, and then nothing.
  stalled.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
  const auto started = Clock::now();
  EXPECT_TRUE(stalled.read_until_eof(5s)) << "the stalled handshake was not cut";
  const auto waited = Clock::now() - started;
  EXPECT_GT(waited, 700ms);
  EXPECT_LT(waited, 3s);
  EXPECT_TRUE(server.daemon().wait_for_log("no handshake within the timeout", 3s)) << server.daemon().log();
  TlsTestClient later(server.tls_port(), certificates().ca());
  EXPECT_NE(later.welcome().find("connected to chat room"), std::string::npos);
}

TEST(Tls, AFloodOfStalledHandshakesWaitsAtTheCapWhilePlainClientsChatAndTlsClientsGetInAfterIt) {
  constexpr int kStalled = 8;
  TlsDaemon server({"--tls-max-handshakes", "4", "--tls-handshake-timeout", "1"});
  std::vector<std::unique_ptr<TestClient>> stalled;
  for (int i = 0; i < kStalled; ++i) {
    stalled.push_back(std::make_unique<TestClient>(server.tls_port(), "127.0.0.1", false));
  }
  // Four handshakes are under way and four connections wait in the backlog; the loop is free.
  TestClient alice(server.plain_port());
  TestClient bob(server.plain_port());
  const auto sent_at = Clock::now();
  alice.send("the flood does not stop us\n");
  EXPECT_EQ(bob.read_line(5s), chat_line(alice, "the flood does not stop us"));
  EXPECT_LT(Clock::now() - sent_at, 500ms);
  // A TLS client queues behind the stalled ones: two rounds of timeouts, then its turn.
  const auto connecting = Clock::now();
  TlsTestClient late(server.tls_port(), TestCertificates::get().ca());
  const auto waited = Clock::now() - connecting;
  EXPECT_GT(waited, 1500ms) << "the cap did not hold";
  EXPECT_LT(waited, 8s);
  for (auto& client : stalled) EXPECT_TRUE(client->read_until_eof(5s)) << "a stalled handshake was not cut";
  server.daemon().write_console("\\stats\n");
  EXPECT_TRUE(server.daemon().wait_for_log("timed out 8", 5s)) << server.daemon().log();
}

TEST(Tls, Ipv6ClientsCheckTheCertificateAgainstColonColonOne) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback here";
  TlsDaemon server({"--host", "::1"});
  ClientProcess ours({"--tls", "--ca-file", certificates().ca(), "::1", std::to_string(server.tls_port())});
  ASSERT_TRUE(ours.wait_for_output("connected to chat room at : [::1]:", 10s)) << ours.output();
  TlsTestClient other(server.tls_port(), certificates().ca(), "::1");
  ours.type("over IPv6\n");
  const std::string heard = other.read_line(5s).value_or("");
  EXPECT_NE(heard.find(">:\tover IPv6\n"), std::string::npos) << heard;
}

TEST(Tls, AThousandTlsClientsEachReceiveEveryBroadcast) {
  constexpr int kClients = 1000;
  constexpr int kLines = 5;
  if (raise_descriptor_limit_to_hard() < kClients + 64) GTEST_SKIP() << "needs more than 1064 descriptors";
  TlsDaemon server;
  std::vector<std::unique_ptr<TlsTestClient>> clients;
  clients.reserve(kClients);
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<TlsTestClient>(server.tls_port(), certificates().ca()));
  }
  TestClient sender(server.plain_port());
  for (int i = 0; i < kLines; ++i) sender.send("broadcast " + std::to_string(i) + "\n");
  int complete = 0;
  for (auto& client : clients) {
    int in_order = 0;
    for (int i = 0; i < kLines; ++i) {
      if (client->read_line(20s) == chat_line(sender, "broadcast " + std::to_string(i))) ++in_order;
    }
    if (in_order == kLines) ++complete;
  }
  EXPECT_EQ(complete, kClients);
}

TEST(Tls, ANonReadingTlsClientIsCutAtMaxOutputWhileTlsReadersLoseNothing) {
  constexpr int kLines = 6000;  // 8.4 MB: more than the kernel buffers the stalled client can hold
  constexpr int kMaxReaderLagLines = 50;
  TlsDaemon server({"--max-output", "256KiB"});
  TlsTestClient stalled(server.tls_port(), certificates().ca());
  stalled.set_receive_buffer(4096);  // it never reads: keep its window from growing
  TlsTestClient reader_one(server.tls_port(), certificates().ca());
  TlsTestClient reader_two(server.tls_port(), certificates().ca());
  TlsTestClient sender(server.tls_port(), certificates().ca());
  const auto line_text = [](int i) { return std::to_string(i) + std::string(1400, 't'); };
  std::atomic<int> got_one{0};
  std::atomic<int> got_two{0};
  const auto read_all = [&](TlsTestClient& reader, std::atomic<int>& received_in_order) {
    for (int i = 0; i < kLines; ++i) {
      if (reader.read_line(10s) != chat_line_from(sender.name(), line_text(i))) return;
      received_in_order = i + 1;
    }
  };
  std::thread one([&] { read_all(reader_one, got_one); });
  std::thread two([&] { read_all(reader_two, got_two); });
  const auto deadline = Clock::now() + 60s;
  for (int i = 0; i < kLines && Clock::now() < deadline; ++i) {
    while (std::min(got_one.load(), got_two.load()) < i - kMaxReaderLagLines && Clock::now() < deadline) {
      std::this_thread::sleep_for(100us);
    }
    sender.send(line_text(i) + "\n");
  }
  one.join();
  two.join();
  EXPECT_EQ(got_one, kLines);
  EXPECT_EQ(got_two, kLines);
  EXPECT_TRUE(server.daemon().wait_for_log("client " + stalled.name() + " cut off: slow consumer", 5s))
      << server.daemon().log();
}

TEST(Tls, PeersThatVanishWithoutCloseNotifyOrResetMidRecordDoNoHarm) {
  TlsDaemon server;
  TlsTestClient alice(server.tls_port(), certificates().ca());
  TlsTestClient bob(server.tls_port(), certificates().ca());
  for (int round = 0; round < 20; ++round) {
    TlsTestClient quitter(server.tls_port(), certificates().ca());
    quitter.send("half a line without its newline");
    quitter.close_without_notify();
    TlsTestClient resetter(server.tls_port(), certificates().ca());
    resetter.send_raw(std::string("\x17\x03\x03\x01\x00", 5) + std::string(100, 'x'));  // a record cut short
    resetter.reset();
    TestClient raw(server.tls_port(), "127.0.0.1", false);
    raw.send(std::string("\x16\x03\x01\x00\x20", 5) + std::string(10, '\0'));  // a handshake cut short
    raw.reset();
  }
  alice.send("we are fine\n");
  EXPECT_EQ(bob.read_line(5s), chat_line_from(alice.name(), "we are fine"));
  server.daemon().write_console("\\stats\n");
  EXPECT_TRUE(server.daemon().wait_for_log("tls: handshakes", 5s)) << server.daemon().log();
}

TEST(Tls, SighupAndReloadSwapTheCertificateForNewConnectionsWhileOldOnesChatOn) {
  TempDir dir;
  const CertificateFiles live{dir.file("live.pem"), dir.file("live.key"), certificates().server().serial};
  std::filesystem::copy_file(certificates().server().certificate, live.certificate);
  std::filesystem::copy_file(certificates().server().key, live.key);
  ::chmod(live.key.c_str(), 0600);
  TlsDaemon server({}, &live);
  TlsTestClient before(server.tls_port(), certificates().ca());
  EXPECT_EQ(before.peer_serial(), certificates().server().serial);

  const auto overwrite = [](const std::string& from, const std::string& to) {
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
  };
  overwrite(certificates().renewed_server().certificate, live.certificate);
  overwrite(certificates().renewed_server().key, live.key);
  server.daemon().send_signal(SIGHUP);
  ASSERT_TRUE(server.daemon().wait_for_log("TLS certificate reloaded", 5s)) << server.daemon().log();
  TlsTestClient after(server.tls_port(), certificates().ca());
  EXPECT_EQ(after.peer_serial(), certificates().renewed_server().serial);
  before.send("from the old certificate\n");
  EXPECT_EQ(after.read_line(5s), chat_line_from(before.name(), "from the old certificate"));
  after.send("from the new one\n");
  EXPECT_EQ(before.read_line(5s), chat_line_from(after.name(), "from the new one"));

  // A broken certificate keeps the one in use, and says so.
  overwrite(certificates().garbage(), live.certificate);
  server.daemon().write_console("\\reload\n");
  ASSERT_TRUE(server.daemon().wait_for_log("TLS certificate not reloaded", 5s)) << server.daemon().log();
  TlsTestClient third(server.tls_port(), certificates().ca());
  EXPECT_EQ(third.peer_serial(), certificates().renewed_server().serial);
  third.send("still served\n");
  EXPECT_EQ(before.read_line(5s), chat_line_from(third.name(), "still served"));
}

TEST(Tls, OurClientRefusesUntrustedExpiredAndWrongNameCertificatesWithOneClearLine) {
  struct Case {
    const CertificateFiles* served;
    bool with_ca;
    std::string expected;
  };
  const std::vector<Case> cases{
      {&certificates().server(), false, "certificate for 127.0.0.1 is not trusted: unable to get local issuer"},
      {&certificates().expired(), true, "certificate for 127.0.0.1 is not trusted: certificate has expired"},
      {&certificates().other_name(), true, "certificate for 127.0.0.1 is not trusted: IP address mismatch"},
  };
  for (const Case& each : cases) {
    TlsDaemon server({}, each.served);
    std::vector<std::string> args{"--tls", "127.0.0.1", std::to_string(server.tls_port())};
    if (each.with_ca) args.insert(args.begin() + 1, {"--ca-file", certificates().ca()});
    ClientProcess client(args);
    client.close_input();
    const auto status = client.wait_for_exit(10s);
    ASSERT_TRUE(status) << client.output();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1) << client.output();
    const std::string output = client.output();
    EXPECT_EQ(output.rfind("chatroom: " + each.expected, 0), 0u) << output;
    EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;
  }
}

TEST(Tls, TlsOnlyHasNoPlainListenerAndWritesTheTlsPortToThePortFile) {
  const CertificateFiles& files = certificates().server();
  DaemonProcess daemon({"--tls-only", "--tls-cert", files.certificate, "--tls-key", files.key, "--tls-port", "0"});
  TlsTestClient alice(daemon.port(), certificates().ca());
  TlsTestClient bob(daemon.port(), certificates().ca());
  alice.send("only TLS here\n");
  EXPECT_EQ(bob.read_line(5s), chat_line_from(alice.name(), "only TLS here"));
  EXPECT_EQ(daemon.log().find("chatroomd listening on"), std::string::npos) << daemon.log();
}

TEST(Tls, AKeyOthersCanReadIsWarnedAboutAndABadCertificateStopsTheStart) {
  TempDir dir;
  const std::string open_key = dir.file("open.key");
  std::filesystem::copy_file(certificates().server().key, open_key);
  ::chmod(open_key.c_str(), 0644);
  const CertificateFiles open{certificates().server().certificate, open_key, {}};
  TlsDaemon warned({}, &open);
  EXPECT_TRUE(warned.daemon().wait_for_log("is readable by other users (mode 644)", 3s)) << warned.daemon().log();

  const CommandOutcome refused = run_command({chatroomd_path(), "--port", "0", "--no-console", "--tls-cert",
                                              certificates().garbage(), "--tls-key", certificates().server().key});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("cannot load the TLS certificate"), std::string::npos) << refused.output;
  const CommandOutcome mismatched = run_command({chatroomd_path(), "--port", "0", "--no-console", "--tls-cert",
                                                 certificates().server().certificate, "--tls-key",
                                                 certificates().renewed_server().key});
  EXPECT_EQ(mismatched.exit_code, 1) << mismatched.output;
  EXPECT_NE(mismatched.output.find("does not belong to the certificate"), std::string::npos) << mismatched.output;
}

}  // namespace
}  // namespace chatroom::testing
