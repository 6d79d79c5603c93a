// chatroom-bench against the real chatroomd: a short run in each mode loses nothing. Speed is
// never asserted here; that is what bench/compare.sh is for.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/http_daemon.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"

namespace chatroom::testing {
namespace {

using BenchOutcome = CommandOutcome;

// Asks for \stats until they say `text`, for up to `timeout`: the bench has exited, but the
// daemon may read the console before it has seen every one of its sockets close.
bool stats_come_to_say(DaemonProcess& daemon, const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    daemon.write_console("\\stats\n");
    if (daemon.wait_for_log(text, std::chrono::milliseconds(200))) return true;
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

BenchOutcome run_bench(std::vector<std::string> args) {
  const char* path = std::getenv("CHATROOM_BENCH");
  if (path == nullptr) throw std::runtime_error("CHATROOM_BENCH is not set; run the tests with meson test");
  args.insert(args.begin(), path);
  return run_command(std::move(args));
}

TEST(BenchSmoke, ClosedLoopRunLosesNothing) {
  DaemonProcess daemon({"--rate-limit", "0"});
  const BenchOutcome outcome = run_bench({"--target", "127.0.0.1:" + std::to_string(daemon.port()), "--clients", "50",
                                          "--messages", "200", "--warmup", "20", "--server-pid",
                                          std::to_string(daemon.pid()), "-q"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("deliveries      10,000 in"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("lost 0   duplicated 0   reordered 0"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("server CPU"), std::string::npos) << outcome.output;
}

TEST(BenchSmoke, TlsRunWithAFlooderLosesNothingAndReportsTheHandshakesCost) {
  const CertificateFiles& files = TestCertificates::get().server();
  TempDir dir;
  DaemonProcess daemon({"--rate-limit", "0", "--tls-cert", files.certificate, "--tls-key", files.key, "--tls-port",
                        "0", "--tls-port-file", dir.file("tls-port")});
  const std::string tls_port = read_file(dir.file("tls-port"));
  const BenchOutcome outcome =
      run_bench({"--target", "127.0.0.1:" + tls_port.substr(0, tls_port.find('\n')), "--tls", "--clients", "40",
                 "--threads", "2", "--flooders", "1", "--messages", "200", "--warmup", "20", "--server-pid",
                 std::to_string(daemon.pid()), "-q"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("deliveries      8,000 in"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("set-up          42 connections (TLS) in"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("lost 0   duplicated 0   reordered 0"), std::string::npos) << outcome.output;
  daemon.write_console("\\stats\n");
  EXPECT_TRUE(daemon.wait_for_log("tls: handshakes 42 (kernel TLS ", std::chrono::seconds(5))) << daemon.log();
}

TEST(BenchSmoke, WebSocketRunLosesNothingAndTheDaemonCountsWebSocketClients) {
  HttpDaemon server;
  DaemonProcess& daemon = server.daemon();
  const BenchOutcome outcome =
      run_bench({"--proto", "ws", "--target", "127.0.0.1:" + std::to_string(server.http_port()), "--clients", "40",
                 "--threads", "2", "--messages", "200", "--warmup", "20", "--server-pid",
                 std::to_string(daemon.pid()), "-q"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("chatroom-bench: ws://127.0.0.1:"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("deliveries      8,000 in"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("lost 0   duplicated 0   reordered 0"), std::string::npos) << outcome.output;
  EXPECT_TRUE(stats_come_to_say(daemon, "websocket: clients 0 (41 served)", std::chrono::seconds(5))) << daemon.log();
}

TEST(BenchSmoke, WebSocketReceiversAnswerPingsSoALongRunIsNotCutOff) {
  // Pings every 0.2 s: a receiver that answered none would be cut off within 0.4 s.
  HttpDaemon server({"--ws-ping-interval", "0.2"});
  DaemonProcess& daemon = server.daemon();
  const BenchOutcome outcome =
      run_bench({"--proto", "ws", "--target", "127.0.0.1:" + std::to_string(server.http_port()), "--clients", "20",
                 "--rate", "200", "--duration", "1.5", "-q"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("lost 0   duplicated 0   reordered 0"), std::string::npos) << outcome.output;
  daemon.write_console("\\stats\n");
  EXPECT_TRUE(daemon.wait_for_log("for unanswered pings 0", std::chrono::seconds(5))) << daemon.log();
}

TEST(BenchSmoke, AProtocolThatContradictsTheTargetIsAClearError) {
  const BenchOutcome outcome = run_bench({"--proto", "ws", "--target", "redis://127.0.0.1:6379", "-q"});
  EXPECT_EQ(outcome.exit_code, 2) << outcome.output;
  EXPECT_NE(outcome.output.find("--proto ws does not match the target redis://127.0.0.1:6379"), std::string::npos)
      << outcome.output;
}

TEST(BenchSmoke, OpenLoopWithSeveralSendersAndThreadsLosesNothing) {
  DaemonProcess daemon({"--rate-limit", "0"});
  const BenchOutcome outcome =
      run_bench({"--target", "127.0.0.1:" + std::to_string(daemon.port()), "--clients", "30", "--senders", "3",
                 "--threads", "2", "--rate", "400", "--messages", "200", "--json", "-q"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("\"deliveries\":6000,"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("\"lost\":0,\"duplicated\":0,\"reordered\":0"), std::string::npos) << outcome.output;
}

TEST(BenchSmoke, FloodersSendFlatOutBesideTheMeasuredBroadcastsWhichLoseNothing) {
  // A flooder flat out is over a hundred MB a second to each receiver (its lines of one read
  // go out as one chunk): on a busy machine a receiver that gets little CPU falls far behind
  // and is cut as a slow consumer, which is right but not what this test is about. Room for
  // a second or two of it, for each receiver and for all of them together (the queues share
  // their chunks, so the memory is a tenth of that).
  DaemonProcess daemon({"--rate-limit", "0", "--max-output", "256MiB", "--max-total-output", "4GiB"});
  const BenchOutcome outcome =
      run_bench({"--target", "127.0.0.1:" + std::to_string(daemon.port()), "--clients", "10", "--flooders", "1",
                 "--rate", "50", "--messages", "25", "--json", "-q"});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("\"deliveries\":250,"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("\"lost\":0,\"duplicated\":0,\"reordered\":0,\"flooders\":1,"), std::string::npos)
      << outcome.output;
  // Half a second of flat-out sending is thousands of lines, each reaching all 10 receivers.
  const auto number_after = [&](const std::string& key) {
    const std::size_t at = outcome.output.find("\"" + key + "\":");
    return at == std::string::npos ? 0ULL : std::stoull(outcome.output.substr(at + key.size() + 3));
  };
  EXPECT_GT(number_after("flood_lines_sent"), 1000U) << outcome.output;
  EXPECT_GT(number_after("flood_deliveries"), 1000U) << outcome.output;
  EXPECT_EQ(number_after("flooders_disconnected"), 0U) << outcome.output;
}

TEST(BenchSmoke, LossIsReportedWithANonZeroExit) {
  // A server that drops messages: flood control lets 5 of the sender's lines through.
  DaemonProcess daemon({"--rate-limit", "0.001", "--rate-burst", "5", "--flood-disconnect", "0"});
  const BenchOutcome outcome = run_bench({"--target", "127.0.0.1:" + std::to_string(daemon.port()), "--clients", "5",
                                          "--rate", "0", "--window", "100", "--messages", "200", "--size", "100",
                                          "--stall-timeout", "1", "-q"});
  EXPECT_NE(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("lost"), std::string::npos) << outcome.output;
}

TEST(BenchSmoke, UnreachableTargetIsAClearError) {
  DaemonProcess daemon;
  const std::string port = std::to_string(daemon.port());
  daemon.send_signal(SIGKILL);
  daemon.wait_for_exit(std::chrono::seconds(3));
  const BenchOutcome outcome = run_bench({"--target", "127.0.0.1:" + port, "--clients", "2", "--messages", "10", "-q"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("cannot connect to chat://127.0.0.1:" + port), std::string::npos) << outcome.output;
}

}  // namespace
}  // namespace chatroom::testing
