// chatroomd's command line: bad input gets a clear error and a non-zero exit.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/run_command.hpp"

namespace chatroom::testing {
namespace {

using Outcome = CommandOutcome;

Outcome run_chatroomd(std::vector<std::string> args) {
  args.insert(args.begin(), chatroomd_path());
  return run_command(std::move(args));
}

TEST(CommandLine, HelpListsTheOptions) {
  const Outcome outcome = run_chatroomd({"--help"});
  EXPECT_EQ(outcome.exit_code, 0);
  for (const char* option : {"--host", "--port", "--port-file", "--max-line", "--max-output", "--shutdown-timeout",
                             "--log-level"}) {
    EXPECT_NE(outcome.output.find(option), std::string::npos) << option;
  }
}

TEST(CommandLine, HostThatIsNotAnAddressIsAClearError) {
  const Outcome outcome = run_chatroomd({"--host", "not-an-address", "--port", "0"});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("'not-an-address' is not an IPv4 or IPv6 address"), std::string::npos)
      << outcome.output;
}

TEST(CommandLine, PortGivenTwiceDifferentlyIsRefused) {
  const Outcome outcome = run_chatroomd({"7001", "--port", "7002"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_NE(outcome.output.find("port is given twice"), std::string::npos) << outcome.output;
}

TEST(CommandLine, MalformedLimitsAreRefused) {
  EXPECT_NE(run_chatroomd({"--max-line", "lots"}).exit_code, 0);
  EXPECT_NE(run_chatroomd({"--max-output", "-5"}).exit_code, 0);
  EXPECT_NE(run_chatroomd({"--port", "70000"}).exit_code, 0);
  EXPECT_NE(run_chatroomd({"--log-level", "chatty"}).exit_code, 0);
}

TEST(CommandLine, AWriteDutyOutsideATenthToOneIsRefusedByName) {
  for (const char* duty : {"0", "0.05", "1.5", "much"}) {
    const Outcome outcome = run_chatroomd({"--max-write-duty", duty, "--port", "0"});
    EXPECT_NE(outcome.exit_code, 0) << duty;
    EXPECT_NE(outcome.output.find("--max-write-duty"), std::string::npos) << outcome.output;
  }
  DaemonProcess no_rest({"--max-write-duty", "1"});
  DaemonProcess least({"--max-write-duty", "0.1"});
  EXPECT_GT(no_rest.port(), 0) << "started and listening";
  EXPECT_GT(least.port(), 0);
}

TEST(CommandLine, SizesAcceptUnitSuffixes) {
  DaemonProcess daemon({"--max-output", "1MiB", "--max-line", "2k"});
  EXPECT_TRUE(daemon.wait_for_log("max line 2048 bytes, max output 1048576 bytes", std::chrono::seconds(3)))
      << daemon.log();
}

TEST(CommandLine, ConfigFileSetsOptionsAndTheCommandLineWins) {
  TempDir dir;
  const std::string config = dir.file("chatroomd.conf");
  std::ofstream(config) << "max-line = 2048\nmax-output = \"1MiB\"\n";
  DaemonProcess daemon({"--config", config, "--max-line", "1000"});
  EXPECT_TRUE(daemon.wait_for_log("max line 1000 bytes, max output 1048576 bytes", std::chrono::seconds(3)))
      << daemon.log();
}

TEST(CommandLine, ShippedExampleConfigIsAccepted) {
  // Its HTTP and IRC ports moved to free ones: tests never take fixed ports.
  DaemonProcess daemon({"--config", std::string(CHATROOM_SOURCE_DIR) + "/etc/chatroomd.conf", "--http-port", "0",
                        "--irc-port", "0"});
  EXPECT_TRUE(daemon.wait_for_log("max line 4096 bytes, max output 8388608 bytes", std::chrono::seconds(3)))
      << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("chatroomd serving HTTP on 127.0.0.1:", std::chrono::seconds(3))) << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("chatroomd listening for IRC on 127.0.0.1:", std::chrono::seconds(3))) << daemon.log();
}

TEST(CommandLine, UnknownConfigKeyOrMissingConfigFileIsAClearError) {
  TempDir dir;
  const std::string config = dir.file("bad.conf");
  std::ofstream(config) << "max-lines = 10\n";
  const Outcome misspelt = run_chatroomd({"--config", config, "--port", "0"});
  EXPECT_NE(misspelt.exit_code, 0);
  EXPECT_NE(misspelt.output.find("max-lines"), std::string::npos) << misspelt.output;
  const Outcome missing = run_chatroomd({"--config", dir.file("absent.conf")});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("absent.conf"), std::string::npos) << missing.output;
}

TEST(CommandLine, PortAlreadyInUseIsAClearError) {
  DaemonProcess first;
  const Outcome outcome = run_chatroomd({"--port", std::to_string(first.port())});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("cannot bind 127.0.0.1:" + std::to_string(first.port())), std::string::npos)
      << outcome.output;
}

}  // namespace
}  // namespace chatroom::testing
