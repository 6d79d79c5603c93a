// Reading the server's lines back: what kind each is, its sender, text and time.
#include "protocol/server_line.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chatroom {
namespace {

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

}  // namespace
}  // namespace chatroom
