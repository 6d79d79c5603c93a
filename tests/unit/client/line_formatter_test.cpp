#include "client/line_formatter.hpp"

#include <gtest/gtest.h>

#include "protocol/server_line.hpp"
#include "protocol/text_sanitizer.hpp"

namespace chatroom {
namespace {

TEST(LineFormatter, PlainChatLineIsSenderColonTabText) {
  const LineFormatter formatter({});
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Chat, "127.0.0.1:5000", "hi"}), "127.0.0.1:5000:\thi\n");
}

TEST(LineFormatter, EscapeSequencesAreShownNeverInterpreted) {
  const LineFormatter formatter({});
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Chat, "a\x1b[2J", "\x1b]0;title\x07\x1b[31mred\xC2\x9B"}),
            "a^[[2J:\t^[]0;title^G^[[31mred<U+009B>\n");
}

TEST(LineFormatter, NoticesAndErrorsStandApart) {
  const LineFormatter formatter({});
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Notice, {}, "server closed the chat room"}),
            "* server closed the chat room\n");
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Error, {}, "connection lost"}), "! connection lost\n");
}

TEST(LineFormatter, SendersKeepOneColourEach) {
  const LineFormatter formatter({.color = true});
  const std::string first = formatter.format({DisplayLine::Kind::Chat, "127.0.0.1:5000", "a"});
  const std::string again = formatter.format({DisplayLine::Kind::Chat, "127.0.0.1:5000", "b"});
  EXPECT_EQ(first.substr(0, 5), again.substr(0, 5));
  EXPECT_EQ(first.rfind("\x1b[3", 0), 0U);
  EXPECT_NE(first.find("\x1b[0m"), std::string::npos);
  bool some_other_colour = false;
  for (int port = 5001; port < 5020; ++port) {
    const std::string other =
        formatter.format({DisplayLine::Kind::Chat, "127.0.0.1:" + std::to_string(port), "c"});
    some_other_colour = some_other_colour || other.substr(0, 5) != first.substr(0, 5);
  }
  EXPECT_TRUE(some_other_colour);
}

TEST(LineFormatter, NoColourCodesWhenColourIsOff) {
  const LineFormatter formatter({.color = false});
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Error, {}, "x"}).find('\x1b'), std::string::npos);
}

TEST(LineFormatter, TimestampsUseTheLocalTime) {
  const LineFormatter formatter({.color = false, .timestamps = true}, [] { return std::time_t{0}; });
  std::tm local{};
  const std::time_t epoch = 0;
  ::localtime_r(&epoch, &local);
  char expected[16];
  std::strftime(expected, sizeof(expected), "[%H:%M:%S] ", &local);
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Notice, {}, "x"}), std::string(expected) + "* x\n");
}

TEST(LineFormatter, PrivateMessagesAndHistoryStandApart) {
  const LineFormatter formatter({});
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Private, "alice", "psst"}), "*alice*:\tpsst\n");
  EXPECT_EQ(formatter.format({DisplayLine::Kind::PrivateEcho, "bob", "psst"}), "-> *bob*:\tpsst\n");
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Chat, "alice", "earlier", "09:05:59"}),
            "[09:05:59 UTC] alice:\tearlier\n");
}

}  // namespace
}  // namespace chatroom
