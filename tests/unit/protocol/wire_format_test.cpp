#include "protocol/wire_format.hpp"

#include <gtest/gtest.h>


namespace chatroom {
namespace {

TEST(WireFormat, WelcomeLineNamesTheServerAddress) {
  EXPECT_EQ(welcome_line("127.0.0.1:7000"), "connected to chat room at : 127.0.0.1:7000\n");
}

TEST(WireFormat, ChatLineIsSenderInBracketsColonTabText) {
  std::string scratch;
  EXPECT_EQ(encode_chat_line("127.0.0.1:5000", "hi there", scratch).view(), "<127.0.0.1:5000>:\thi there\n");
  EXPECT_EQ(encode_chat_line("[::1]:5000", "x", scratch).view(), "<[::1]:5000>:\tx\n");
}

TEST(WireFormat, ChatLineTextIsSanitised) {
  std::string scratch;
  EXPECT_EQ(encode_chat_line("s", "\x1B[31mred", scratch).view(), "<s>:\t[31mred\n");
}

TEST(WireFormat, TextBlankOnceSanitisedEncodesToNothing) {
  std::string scratch;
  EXPECT_TRUE(encode_chat_line("s", "\x1B\x07 \x01", scratch).empty());
  EXPECT_FALSE(encode_chat_line("s", "\x1B[m", scratch).empty());
}

TEST(WireFormat, LineTooLongNoticeStatesTheLimit) {
  EXPECT_EQ(line_too_long_notice(4096), "line too long (limit 4096 bytes)");
}

TEST(WireFormat, TimeoutNoticesStateSecondsAsWritten) {
  EXPECT_EQ(line_timeout_notice(std::chrono::seconds(30)), "line timeout (no newline within 30 s)");
  EXPECT_EQ(idle_timeout_notice(std::chrono::milliseconds(1500)), "idle timeout (nothing received for 1.5 s)");
}

}  // namespace
}  // namespace chatroom
