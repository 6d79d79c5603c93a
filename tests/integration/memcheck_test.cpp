// chatroomd under valgrind memcheck through a session that exercises every path that frees
// memory: broadcasts, notices, a slow consumer cut off, resets, the console, graceful shutdown.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

TEST(Memcheck, ChatSessionAndShutdownHaveNoMemoryErrorsOrLeaks) {
  const char* valgrind = std::getenv("VALGRIND");
  ASSERT_NE(valgrind, nullptr) << "VALGRIND (the valgrind binary) is set by meson";
  TempDir dir;
  const std::string report = dir.file("memcheck.log");
  DaemonProcess daemon({"--max-line", "100", "--max-output", "64KiB", "--soft-max-output", "0", "--rate-limit", "0"},
                       {}, std::nullopt,
                       {valgrind, "--error-exitcode=99", "--leak-check=full", "--show-leak-kinds=definite,indirect",
                        "--errors-for-leak-kinds=definite,indirect", "--log-file=" + report});
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
  const auto status = daemon.wait_for_exit(60s);
  ASSERT_TRUE(status) << "chatroomd did not exit under valgrind";
  const std::string memcheck = read_file(report);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "exit status " << *status << "\n" << memcheck;
  EXPECT_NE(memcheck.find("ERROR SUMMARY: 0 errors"), std::string::npos) << memcheck;
  std::printf("%s", memcheck.substr(memcheck.find("HEAP SUMMARY")).c_str());
}

}  // namespace
}  // namespace chatroom::testing
