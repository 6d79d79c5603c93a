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

TEST(ServerLine, RecognisesEveryKind) {
  EXPECT_EQ(parse_server_line("connected to chat room at : 127.0.0.1:7000").kind, ServerLine::Kind::Welcome);
  EXPECT_EQ(parse_server_line("\\close").kind, ServerLine::Kind::Close);
  const ServerLine notice = parse_server_line("! line too long (limit 4096 bytes)");
  EXPECT_EQ(notice.kind, ServerLine::Kind::Notice);
  EXPECT_EQ(notice.text, "line too long (limit 4096 bytes)");
  const ServerLine chat = parse_server_line("<[::1]:5000>:\ta >:\t b");
  EXPECT_EQ(chat.kind, ServerLine::Kind::Chat);
  EXPECT_EQ(chat.sender, "[::1]:5000");
  EXPECT_EQ(chat.text, "a >:\t b");
  EXPECT_EQ(parse_server_line("whatever").kind, ServerLine::Kind::Other);
  const ServerLine info = parse_server_line("* alice joined");
  EXPECT_EQ(info.kind, ServerLine::Kind::Info);
  EXPECT_EQ(info.text, "alice joined");
  const ServerLine whisper = parse_server_line("*alice*:\tpsst");
  EXPECT_EQ(whisper.kind, ServerLine::Kind::Private);
  EXPECT_EQ(whisper.sender, "alice");
  EXPECT_EQ(whisper.text, "psst");
  const ServerLine echo = parse_server_line("-> *bob*:\tpsst");
  EXPECT_EQ(echo.kind, ServerLine::Kind::PrivateEcho);
  EXPECT_EQ(echo.sender, "bob");
  EXPECT_EQ(parse_server_line("**:\tx").kind, ServerLine::Kind::Other) << "no sender";
}

TEST(ServerLine, HistoryIsTheReplayedLineWithItsTime) {
  const ServerLine chat = parse_server_line("[09:05:59] <alice>:\thello");
  EXPECT_EQ(chat.kind, ServerLine::Kind::Chat);
  EXPECT_EQ(chat.sent_at, "09:05:59");
  EXPECT_EQ(chat.sender, "alice");
  EXPECT_EQ(chat.text, "hello");
  const ServerLine action = parse_server_line("[23:00:00] * alice waves");
  EXPECT_EQ(action.kind, ServerLine::Kind::Info);
  EXPECT_EQ(action.sent_at, "23:00:00");
  EXPECT_TRUE(parse_server_line("<alice>:\thello").sent_at.empty()) << "live";
  EXPECT_EQ(parse_server_line("[9:05:59] x").kind, ServerLine::Kind::Other) << "not the stamp's shape";
}

TEST(LineFormatter, PrivateMessagesAndHistoryStandApart) {
  const LineFormatter formatter({});
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Private, "alice", "psst"}), "*alice*:\tpsst\n");
  EXPECT_EQ(formatter.format({DisplayLine::Kind::PrivateEcho, "bob", "psst"}), "-> *bob*:\tpsst\n");
  EXPECT_EQ(formatter.format({DisplayLine::Kind::Chat, "alice", "earlier", "09:05:59"}),
            "[09:05:59 UTC] alice:\tearlier\n");
}

TEST(TextSanitizer, VisibleFormShowsControlsInCaretNotation) {
  std::string out;
  append_visible(out, std::string("a\x1b" "b\x7f\x01\tc\xff", 8));
  EXPECT_EQ(out, "a^[b^?^A\tc\xEF\xBF\xBD");
}

}  // namespace
}  // namespace chatroom
