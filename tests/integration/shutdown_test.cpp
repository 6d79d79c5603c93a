// Graceful shutdown of the real chatroomd: by the console, SIGTERM and SIGINT.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <memory>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

bool exited_with_zero(std::optional<int> status) { return status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0; }

enum class ShutdownTrigger { ConsoleClose, Sigterm, Sigint };

void trigger(DaemonProcess& daemon, ShutdownTrigger how) {
  switch (how) {
    case ShutdownTrigger::ConsoleClose:
      daemon.write_console("\\close\n");
      break;
    case ShutdownTrigger::Sigterm:
      daemon.send_signal(SIGTERM);
      break;
    case ShutdownTrigger::Sigint:
      daemon.send_signal(SIGINT);
      break;
  }
}

class GracefulShutdown : public ::testing::TestWithParam<ShutdownTrigger> {};

TEST_P(GracefulShutdown, EveryClientReceivesCloseThenEndOfFileAndTheDaemonExitsZero) {
  DaemonProcess daemon;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(std::make_unique<TestClient>(daemon.port()));

  const auto started = std::chrono::steady_clock::now();
  trigger(daemon, GetParam());
  for (auto& client : clients) EXPECT_EQ(client->read_until_eof(3s), "\\close");
  const std::optional<int> status = daemon.wait_for_exit(3s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_TRUE(exited_with_zero(status)) << daemon.log();
  EXPECT_NE(daemon.log().find("chatroomd stopped after"), std::string::npos) << "a shutdown summary is logged";
}

std::string trigger_name(const ::testing::TestParamInfo<ShutdownTrigger>& param) {
  switch (param.param) {
    case ShutdownTrigger::ConsoleClose:
      return "ConsoleClose";
    case ShutdownTrigger::Sigterm:
      return "Sigterm";
    case ShutdownTrigger::Sigint:
      return "Sigint";
  }
  return "Unknown";
}

INSTANTIATE_TEST_SUITE_P(Triggers, GracefulShutdown,
                         ::testing::Values(ShutdownTrigger::ConsoleClose, ShutdownTrigger::Sigterm,
                                           ShutdownTrigger::Sigint),
                         trigger_name);

TEST(Shutdown, NewConnectionsAreRefusedOnceShutdownBegins) {
  DaemonProcess daemon({"--shutdown-timeout", "5", "--rate-limit", "0"});
  TestClient stalled(daemon.port());
  stalled.set_receive_buffer(4096);
  TestClient sender(daemon.port());
  // Queue output that the stalled client will not read, so the shutdown has to wait for it.
  sender.send_lines(3000, 1000, 'q');
  daemon.send_signal(SIGTERM);
  ASSERT_TRUE(daemon.wait_for_log("shutting down", 3s));
  EXPECT_THROW(TestClient late(daemon.port()), std::runtime_error);
}

// Output queued for a client that does not read keeps a graceful shutdown waiting; a second
// signal ends it at once.
TEST(Shutdown, SecondSignalDuringShutdownExitsAtOnce) {
  DaemonProcess daemon({"--shutdown-timeout", "60", "--rate-limit", "0"});
  TestClient stalled(daemon.port());
  stalled.set_receive_buffer(4096);
  TestClient sender(daemon.port());
  sender.send_lines(6000, 1000, 's');
  ASSERT_TRUE(sender.stays_silent(300ms));  // let the daemon queue it all

  daemon.send_signal(SIGTERM);
  ASSERT_TRUE(daemon.wait_for_log("shutting down", 3s));
  EXPECT_FALSE(daemon.wait_for_exit(500ms)) << "still flushing to the stalled client";
  daemon.send_signal(SIGTERM);
  EXPECT_TRUE(exited_with_zero(daemon.wait_for_exit(3s))) << daemon.log();
  EXPECT_NE(daemon.log().find("during shutdown"), std::string::npos);
}

TEST(Shutdown, ClientsThatDoNotReadAreClosedWhenTheShutdownTimeoutPasses) {
  DaemonProcess daemon({"--shutdown-timeout", "0.5", "--rate-limit", "0"});
  TestClient stalled(daemon.port());
  stalled.set_receive_buffer(4096);
  TestClient sender(daemon.port());
  sender.send_lines(6000, 1000, 't');
  ASSERT_TRUE(sender.stays_silent(300ms));

  const auto started = std::chrono::steady_clock::now();
  daemon.send_signal(SIGTERM);
  EXPECT_TRUE(exited_with_zero(daemon.wait_for_exit(5s))) << daemon.log();
  EXPECT_GE(std::chrono::steady_clock::now() - started, 400ms);
  EXPECT_NE(daemon.log().find("shutdown deadline passed"), std::string::npos) << daemon.log();
}

}  // namespace
}  // namespace chatroom::testing
