// The real chatroomd against clients that misbehave: vanishing, resetting, not reading,
// sending over-long lines and garbage.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <random>
#include <thread>

#include "protocol/text_sanitizer.hpp"
#include "protocol_properties.hpp"
#include "support/daemon_process.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

TEST(Robustness, ClientsLeavingMidLineOrByResetDisturbNobodyAndTheDaemonIdles) {
  DaemonProcess daemon;
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  {
    TestClient half_liner(daemon.port());
    half_liner.send("this line never ends");
  }  // closed mid-line
  {
    TestClient resetter(daemon.port());
    resetter.send("partial");
    resetter.reset();
  }
  {
    TestClient half_closer(daemon.port());
    ::shutdown(half_closer.fd(), SHUT_WR);
    EXPECT_EQ(half_closer.read_until_eof(), "") << "a half-closed client is removed";
  }
  alice.send("after the departures\n");
  EXPECT_EQ(bob.read_line(), chat_line(alice, "after the departures"));
  EXPECT_TRUE(bob.stays_silent(100ms)) << "no fragment of the departed clients' lines is broadcast";

  // The original spun a thread at 100% CPU after a client left; chatroomd must sit idle.
  const double before = daemon.cpu_seconds();
  std::this_thread::sleep_for(1s);
  const double used = daemon.cpu_seconds() - before;
  EXPECT_LT(used, 0.05) << "chatroomd used " << used << " s of CPU in 1 s of idling";
}

TEST(Robustness, ClientThatNeverReadsIsCutOffPastMaxOutputAndOthersGetEveryLine) {
  constexpr int kLines = 6000;
  // Readers that keep up stay far below the limit: the sender never runs more than this many
  // lines (about 70 KB) ahead of them.
  constexpr int kMaxReaderLagLines = 50;
  DaemonProcess daemon({"--max-output", "256KiB", "--rate-limit", "0"});
  // Never reads, so its kernel buffers fill and output queues up in the daemon. (Its receive
  // buffer is left alone: a tiny one makes loopback TCP crawl on window probes once it reads.)
  TestClient stalled(daemon.port());
  TestClient reader_one(daemon.port());
  TestClient reader_two(daemon.port());
  TestClient sender(daemon.port());
  const auto line_text = [](int i) { return std::to_string(i) + std::string(1400, 'p'); };

  std::atomic<int> got_one{0};
  std::atomic<int> got_two{0};
  const auto read_all = [&](TestClient& reader, std::atomic<int>& received_in_order) {
    for (int i = 0; i < kLines; ++i) {
      const auto line = reader.read_line(10s);
      if (!line || *line != chat_line(sender, line_text(i))) return;
      received_in_order = i + 1;
    }
  };
  std::thread one([&] { read_all(reader_one, got_one); });
  std::thread two([&] { read_all(reader_two, got_two); });
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (int i = 0; i < kLines && std::chrono::steady_clock::now() < deadline; ++i) {
    while (std::min(got_one.load(), got_two.load()) < i - kMaxReaderLagLines &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(100us);
    }
    sender.send(line_text(i) + "\n");
  }
  one.join();
  two.join();

  EXPECT_EQ(got_one, kLines);
  EXPECT_EQ(got_two, kLines);
  EXPECT_TRUE(daemon.wait_for_log("client " + stalled.name() + " cut off", 5s)) << daemon.log();
  EXPECT_NE(daemon.log().find("limit is 262144 bytes"), std::string::npos) << daemon.log();
  EXPECT_EQ(daemon.log().find("client " + reader_one.name() + " cut off"), std::string::npos);
  EXPECT_TRUE(stalled.read_until_eof(10s)) << "the slow consumer's connection was closed";
}

TEST(Robustness, OverLongLineGetsTheErrorLineAndIsNeverBroadcast) {
  DaemonProcess daemon({"--max-line", "100"});
  TestClient talker(daemon.port());
  TestClient listener(daemon.port());
  talker.send(std::string(5000, 'L') + "\nshort one\n");
  EXPECT_EQ(talker.read_line(), "! line too long (limit 100 bytes)\n");
  EXPECT_EQ(listener.read_line(), chat_line(talker, "short one")) << "the long line is dropped, the next one kept";
  talker.send(std::string(100, 'k') + "\n");
  EXPECT_EQ(listener.read_line(), chat_line(talker, std::string(100, 'k'))) << "exactly the limit is fine";
}

TEST(Robustness, RandomBytesAreSanitisedNeverBroadcastRaw) {
  DaemonProcess daemon({"--rate-limit", "0"});  // 64 KiB of random bytes hold ~250 lines
  TestClient talker(daemon.port());
  TestClient listener(daemon.port());
  std::mt19937 random(12345);
  std::string garbage;
  for (int i = 0; i < 64 * 1024; ++i) garbage.push_back(static_cast<char>(random() % 256));
  talker.send(garbage + "\nend of garbage\n");

  const std::string prefix = "<" + talker.name() + ">:\t";
  for (;;) {
    const auto line = listener.read_line(5s);
    ASSERT_TRUE(line) << "the closing line never arrived";
    ASSERT_EQ(line->rfind(prefix, 0), 0U);
    const std::string text = line->substr(prefix.size(), line->size() - prefix.size() - 1);
    EXPECT_EQ(sanitized(text), text) << "broadcast text is valid UTF-8 without control characters";
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    if (text == "end of garbage") break;
  }
}

TEST(Robustness, EscapeSequencesNeverReachOtherClients) {
  DaemonProcess daemon;
  TestClient talker(daemon.port());
  TestClient listener(daemon.port());
  talker.send("\x1b]0;pwned\x07\x1b[2J\x1b[1;1Hhello\x9b" "31m\n");
  EXPECT_EQ(listener.read_line(), chat_line(talker, "]0;pwned[2J[1;1Hhello\xEF\xBF\xBD" "31m"));
}

TEST(Robustness, HostileBytesAreSanitisedOrRefusedAndNeverCrashTheDaemon) {
  DaemonProcess daemon({"--rate-limit", "0"});
  TestClient talker(daemon.port());
  TestClient listener(daemon.port());
  const std::string hostile[] = {
      std::string("nul\0in the\0middle", 17),
      "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",      // OSC 8 hyperlink, ST-terminated
      "\x1bP+q544e\x1b\\ title \x1b]2;pwned\x07",                   // DCS query, OSC title
      "c1 as UTF-8: \xc2\x9b" "31m red \xc2\x90 dcs \xc2\x9d osc",  // CSI, DCS, OSC as code points
      "raw c1: \x9b" "31m \x85 \x8d",
      "overlong \xc0\xaf \xe0\x80\xaf surrogate \xed\xa0\x80 too big \xf4\x90\x80\x80 cut \xe2\x82",
      "bell\x07 backspace\x08 delete\x7f carriage\r return",
  };
  for (const std::string& text : hostile) talker.send(text + "\n");
  const std::string prefix = "<" + talker.name() + ">:\t";
  for (const std::string& text : hostile) {
    const auto line = listener.read_line();
    ASSERT_TRUE(line) << "nothing broadcast for a hostile line";
    ASSERT_EQ(line->rfind(prefix, 0), 0u) << *line;
    const std::string broadcast = line->substr(prefix.size(), line->size() - prefix.size() - 1);
    EXPECT_TRUE(fuzz::is_clean_text(broadcast)) << "raw bytes from " << ::testing::PrintToString(text);
  }

  // A megabyte without a newline: refused as one over-long line, never buffered whole, never
  // broadcast; the connection survives it.
  talker.send(std::string(std::size_t{1} << 20, 'M'));
  talker.send("\nafter the megabyte\n");
  EXPECT_EQ(talker.read_line(), "! line too long (limit 4096 bytes)\n");
  EXPECT_EQ(listener.read_line(), chat_line(talker, "after the megabyte"));

  // The same again from a client that then vanishes without a newline.
  {
    TestClient vanishing(daemon.port());
    vanishing.send(std::string(std::size_t{1} << 20, 'V'));
  }
  talker.send("still alive\n");
  EXPECT_EQ(listener.read_line(), chat_line(talker, "still alive"));
  EXPECT_TRUE(listener.stays_silent(100ms));
  EXPECT_FALSE(daemon.wait_for_exit(0ms)) << daemon.log();
}

}  // namespace
}  // namespace chatroom::testing
