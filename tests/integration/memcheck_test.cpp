// chatroomd under valgrind memcheck through a session that exercises every path that frees
// memory: broadcasts, notices, a slow consumer cut off, resets, the console, graceful shutdown.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "support/test_client.hpp"
#include "support/tls_test_client.hpp"
#include "support/websocket_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

// valgrind's options: any error, or a leak, makes the daemon exit 99.
std::vector<std::string> memcheck_launcher(const std::string& report) {
  const char* valgrind = std::getenv("VALGRIND");
  if (valgrind == nullptr) throw std::runtime_error("VALGRIND (the valgrind binary) is set by meson");
  return {valgrind, "--error-exitcode=99", "--leak-check=full", "--show-leak-kinds=definite,indirect",
          "--errors-for-leak-kinds=definite,indirect", "--log-file=" + report};
}

// Waits for the daemon (told to stop already) and checks valgrind found nothing.
void expect_clean_exit(DaemonProcess& daemon, const std::string& report) {
  const auto status = daemon.wait_for_exit(60s);
  ASSERT_TRUE(status) << "chatroomd did not exit under valgrind";
  const std::string memcheck = read_file(report);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "exit status " << *status << "\n" << memcheck;
  EXPECT_NE(memcheck.find("ERROR SUMMARY: 0 errors"), std::string::npos) << memcheck;
  std::printf("%s", memcheck.substr(memcheck.find("HEAP SUMMARY")).c_str());
}

TEST(Memcheck, ChatSessionAndShutdownHaveNoMemoryErrorsOrLeaks) {
  TempDir dir;
  const std::string report = dir.file("memcheck.log");
  DaemonProcess daemon({"--max-line", "100", "--max-output", "64KiB", "--soft-max-output", "0", "--rate-limit", "0"},
                       {}, std::nullopt, memcheck_launcher(report));
  TestClient talker(daemon.port());
  TestClient listener(daemon.port());
  TestClient stalled(daemon.port());
  stalled.set_receive_buffer(4096);

  talker.send("hello under memcheck\n");
  EXPECT_EQ(listener.read_line(30s), chat_line(talker, "hello under memcheck"));
  talker.send(std::string(500, 'L') + "\n\x1b[2Jcaf\xC3\xA9 \xff\n");
  EXPECT_EQ(talker.read_line(30s), "! line too long (limit 100 bytes)\n");
  EXPECT_EQ(listener.read_line(30s), chat_line(talker, "[2Jcaf\xC3\xA9 \xEF\xBF\xBD"));
  {
    TestClient mid_line(daemon.port());
    mid_line.send("gone before the newline");
    mid_line.reset();
  }

  // Past the kernel's buffers and the 64 KiB limit toward the client that never reads.
  const std::string line = std::string(99, 'f') + "\n";
  for (int i = 0; i < 60'000; ++i) {
    talker.send(line);
    if (i % 1000 == 999) {  // the listener keeps up
      for (int k = 0; k < 1000; ++k) ASSERT_TRUE(listener.read_line(30s)) << "line " << i << "\n" << daemon.log();
    }
  }
  EXPECT_TRUE(daemon.wait_for_log("client " + stalled.name() + " cut off: slow consumer", 30s)) << daemon.log();

  daemon.write_console("goodbye from the console\n");
  EXPECT_EQ(listener.read_line(30s), "<server>:\tgoodbye from the console\n");
  daemon.send_signal(SIGTERM);
  expect_clean_exit(daemon, report);
}

TEST(Memcheck, TlsSessionsHandshakeFailuresReloadAndPasswordsHaveNoMemoryErrorsOrLeaks) {
  const TestCertificates& certificates = TestCertificates::get();
  TempDir dir;
  const std::string report = dir.file("memcheck.log");
  std::ofstream(dir.file("password")) << "under valgrind\n";
  DaemonProcess daemon({"--tls-cert", certificates.server().certificate, "--tls-key", certificates.server().key,
                        "--tls-port", "0", "--tls-port-file", dir.file("tls-port"), "--tls-handshake-timeout", "2",
                        "--password-file", dir.file("password"), "--password-delay", "0.2", "--rate-limit", "0",
                        "--max-output", "64KiB", "--soft-max-output", "0"},
                       {}, std::nullopt, memcheck_launcher(report));
  const auto tls_port = static_cast<std::uint16_t>(std::stoi(read_file(dir.file("tls-port"))));
  const auto sign_in = [](TlsTestClient& client) {
    EXPECT_EQ(client.read_line(30s), "* this chat room needs a password: send \\pass PASSWORD\n");
    client.send("\\pass under valgrind\n");
    EXPECT_EQ(client.read_line(30s), "* password accepted\n");
  };
  TlsTestClient talker(tls_port, certificates.ca());
  sign_in(talker);
  TlsTestClient listener(tls_port, certificates.ca());
  sign_in(listener);
  talker.send("hello over TLS under memcheck\n");
  EXPECT_EQ(listener.read_line(30s), chat_line_from(talker.name(), "hello over TLS under memcheck"));

  TestClient plain_on_tls(tls_port, "127.0.0.1", false);
  plain_on_tls.send("not TLS\n");
  EXPECT_TRUE(plain_on_tls.read_until_eof(30s));
  TestClient stalled_handshake(tls_port, "127.0.0.1", false);
  stalled_handshake.send(std::string("\x16\x03\x01\x02\x00", 5));
  TlsTestClient guesser(tls_port, certificates.ca());
  guesser.send("\\pass wrong\n");
  EXPECT_TRUE(guesser.read_until_eof(30s));
  {
    TlsTestClient vanishing(tls_port, certificates.ca());
    vanishing.send("half a line");
    vanishing.reset();
  }
  {
    // Never reads: past the kernel's buffers and the 64 KiB limit, it is cut off.
    TlsTestClient stalled_reader(tls_port, certificates.ca());
    sign_in(stalled_reader);
    const std::string line = std::string(1000, 'r') + "\n";
    for (int i = 0; i < 4000; ++i) talker.send(line);
    EXPECT_TRUE(daemon.wait_for_log("cut off: slow consumer", 60s)) << daemon.log();
  }
  EXPECT_TRUE(stalled_handshake.read_until_eof(30s)) << "the stalled handshake was not cut";
  daemon.send_signal(SIGHUP);
  EXPECT_TRUE(daemon.wait_for_log("TLS certificate reloaded", 30s)) << daemon.log();
  TlsTestClient after_reload(tls_port, certificates.ca());
  sign_in(after_reload);

  daemon.send_signal(SIGTERM);
  expect_clean_exit(daemon, report);
}

TEST(Memcheck, WebSocketSessionsBadFramesPingsAndTheWebClientHaveNoMemoryErrorsOrLeaks) {
  TempDir dir;
  const std::string report = dir.file("memcheck.log");
  DaemonProcess daemon({"--http-port", "0", "--http-port-file", dir.file("http-port"), "--rate-limit", "0",
                        "--max-output", "64KiB", "--soft-max-output", "0", "--max-line", "1000",
                        "--ws-ping-interval", "5"},
                       {}, std::nullopt, memcheck_launcher(report));
  const auto http_port = static_cast<std::uint16_t>(std::stoi(read_file(dir.file("http-port"))));
  const auto upgraded = [&] {
    auto client = std::make_unique<WebSocketTestClient>(http_port);
    EXPECT_NE(client->read_response_head(30s).find(" 101 "), std::string::npos);
    EXPECT_TRUE(client->read_text(30s).has_value());  // the welcome
    return client;
  };
  auto talker = upgraded();
  auto listener = upgraded();
  TestClient plain(daemon.port());
  talker->send_raw(websocket_client_frame(WebSocketTestClient::kText, "frag", false) +
                   websocket_client_frame(WebSocketTestClient::kPing, "between") +
                   websocket_client_frame(0x0, "mented"));
  EXPECT_EQ(listener->read_text(30s), "<" + talker->socket().name() + ">:\tfragmented");
  EXPECT_EQ(plain.read_line(30s), "<" + talker->socket().name() + ">:\tfragmented\n");
  {
    TestClient page(http_port, "127.0.0.1", false);
    page.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(page.read_until_eof(30s));
  }
  for (const std::string& bad : {std::string("caf\xc3("), std::string(1001, 'x')}) {
    auto breaker = upgraded();
    breaker->send_raw(websocket_client_frame(WebSocketTestClient::kText, bad));
    EXPECT_TRUE(breaker->socket().read_until_eof(30s));
  }
  {
    auto vanishing = upgraded();
    vanishing->send_raw(websocket_client_frame(WebSocketTestClient::kText, std::string(500, 'v')).substr(0, 60));
    vanishing->socket().reset();
  }
  {
    // Never reads: past the kernel's buffers and the 64 KiB limit, it is cut off.
    auto stalled = std::make_unique<WebSocketTestClient>(http_port);
    stalled->socket().set_receive_buffer(4096);  // keep the kernel from holding it all
    EXPECT_NE(stalled->read_response_head(30s).find(" 101 "), std::string::npos);
    const std::string line = std::string(900, 'r') + "\n";
    // Until the kernel's buffers are full and the daemon gives up on it (bounded: 18 MB).
    for (int i = 0; i < 20000 && (i % 1000 != 0 || !daemon.wait_for_log("cut off: slow consumer", 1ms)); ++i) {
      plain.send(line);
    }
    EXPECT_TRUE(daemon.wait_for_log("cut off: slow consumer", 60s)) << daemon.log();
  }
  {
    // Answers no ping: closed within two intervals (as are the clients above, which never answer).
    auto silent = std::make_unique<WebSocketTestClient>(http_port);
    EXPECT_TRUE(silent->socket().read_until_eof(30s));
  }
  daemon.send_signal(SIGTERM);
  expect_clean_exit(daemon, report);
}

}  // namespace
}  // namespace chatroom::testing
