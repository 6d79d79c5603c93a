#include "client/client_session.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

bool observe(ClientSession& session, std::string_view line) { return session.observe(parse_server_line(line)); }

using Names = std::vector<std::string>;

TEST(ClientSession, PromptFollowsTheRoomAndTheNickname) {
  ClientSession session;
  EXPECT_EQ(session.prompt(), "[lobby]> ");
  EXPECT_TRUE(observe(session, "* you are now known as alice"));
  EXPECT_TRUE(observe(session, "* you joined dev (3 here)"));
  EXPECT_EQ(session.prompt(), "[dev] alice> ");
  EXPECT_FALSE(observe(session, "<bob>:\tyou joined nothing")) << "chat text is not a notice";
  EXPECT_FALSE(observe(session, "[10:00:00] * you joined elsewhere (1 here)")) << "history is the past";
  EXPECT_EQ(session.room(), "dev");
}

TEST(ClientSession, PromptShowsHostileNamesHarmlesslyAndShort) {
  ClientSession session;
  observe(session, "* you are now known as \x1B]2;title\x07");
  const char joined[] = "* you joined r\0\xFF (1 here)";
  observe(session, std::string(joined, sizeof(joined) - 1));
  const std::string prompt = session.prompt();
  EXPECT_EQ(prompt.find('\x1B'), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find('\x07'), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find('\0'), std::string::npos) << prompt;
  EXPECT_EQ(prompt.find('\xFF'), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("^[]2;title^G"), std::string::npos) << prompt;
  observe(session, "* you are now known as " + std::string(1000, 'n'));
  EXPECT_LT(session.prompt().size(), 100U) << "a name from the server is cut to fit a prompt";
}

TEST(ClientSession, CommandsCompleteAtTheStartOfTheLine) {
  const ClientSession session;
  EXPECT_EQ(session.complete("\\j", true), Names{"\\join"});
  EXPECT_EQ(session.complete("\\m", true), (Names{"\\me", "\\msg"}));
  EXPECT_TRUE(session.complete("\\j", false).empty()) << "not a command in mid-line";
}

TEST(ClientSession, NamesSeenCompleteCaseInsensitivelyAndDepartedOnesAreForgotten) {
  ClientSession session;
  observe(session, "* you are now known as me");
  observe(session, "* in lobby (4): Alice, alfred, me, 127.0.0.1:5000");
  observe(session, "<bob>:\thi");
  observe(session, "* carol joined");
  EXPECT_EQ(session.complete("al", false), (Names{"Alice", "alfred"}));
  EXPECT_EQ(session.complete("B", false), Names{"bob"});
  EXPECT_TRUE(session.complete("12", false).empty()) << "addresses are not offered";
  EXPECT_TRUE(session.complete("m", false).empty()) << "nor our own name";
  observe(session, "* alfred left (cut off: idle)");
  observe(session, "* carol is now known as caroline");
  EXPECT_EQ(session.complete("al", false), Names{"Alice"});
  EXPECT_EQ(session.complete("car", false), Names{"caroline"});
}

}  // namespace
}  // namespace chatroom
