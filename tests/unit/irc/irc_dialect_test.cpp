// The chat's events as IRC clients read them (RFC 2812 message forms, CTCP ACTION, IRCv3
// server-time), and the line protocol's words for the same events beside them.
#include "irc/irc_dialect.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "chat/line_dialect.hpp"
#include "protocol/irc_message.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

// 2026-12-03T17:20:05.042Z
const WallTime kAt = WallTime(1796318405042ms);

std::string spelled(const Dialect& dialect, ChatEvent event) {
  event.sent_at = kAt;
  std::string scratch;
  return std::string(dialect.spell(event, scratch).view());
}

class IrcDialectTest : public ::testing::Test {
 protected:
  IrcDialect plain_{1, "chatroomd", false};
  IrcDialect timed_{2, "chatroomd", true};
};

TEST_F(IrcDialectTest, ChatIsAPrivmsgToTheRoomsChannelFromTheSendersMask) {
  const ChatEvent said = ChatEvent::said(ChatKind::Chat, "den", "alice", "héllo :) there", kAt);
  EXPECT_EQ(spelled(plain_, said), ":alice!alice@chatroomd PRIVMSG #den :héllo :) there\r\n");
  EXPECT_EQ(spelled(line_dialect(), said), "<alice>:\théllo :) there\n");
}

TEST_F(IrcDialectTest, ServerTimeClientsGetTheTimeTagAndOthersDoNot) {
  const ChatEvent said = ChatEvent::said(ChatKind::Chat, "den", "alice", "hi", kAt);
  EXPECT_EQ(spelled(timed_, said), "@time=2026-12-03T17:20:05.042Z :alice!alice@chatroomd PRIVMSG #den :hi\r\n");
}

TEST_F(IrcDialectTest, AnActionIsACtcpAction) {
  const ChatEvent acted = ChatEvent::said(ChatKind::Action, "den", "bob", "waves", kAt);
  EXPECT_EQ(spelled(plain_, acted), ":bob!bob@chatroomd PRIVMSG #den :\x01" "ACTION waves\x01\r\n");
}

TEST_F(IrcDialectTest, TheConsoleSpeaksAsTheServerWithANotice) {
  const ChatEvent console = ChatEvent::said(ChatKind::Server, "den", "server", "restart at noon", kAt);
  EXPECT_EQ(spelled(plain_, console), ":chatroomd NOTICE #den :restart at noon\r\n");
}

TEST_F(IrcDialectTest, MembershipAndNames) {
  EXPECT_EQ(spelled(plain_, ChatEvent::joined("den", "carol")), ":carol!carol@chatroomd JOIN #den\r\n");
  EXPECT_EQ(spelled(plain_, ChatEvent::left("den", "carol", "")), ":carol!carol@chatroomd PART #den\r\n");
  EXPECT_EQ(spelled(plain_, ChatEvent::left("den", "carol", "bye now")),
            ":carol!carol@chatroomd PART #den :bye now\r\n");
  EXPECT_EQ(spelled(plain_, ChatEvent::quit("den", "carol", "idle timeout")),
            ":carol!carol@chatroomd QUIT :idle timeout\r\n");
  EXPECT_EQ(spelled(plain_, ChatEvent::quit("den", "carol", "")), ":carol!carol@chatroomd QUIT :Quit\r\n");
  EXPECT_EQ(spelled(plain_, ChatEvent::renamed("den", "carol", "caroline")),
            ":carol!carol@chatroomd NICK :caroline\r\n");
  EXPECT_EQ(spelled(line_dialect(), ChatEvent::quit("den", "carol", "idle timeout")), "* carol left (idle timeout)\n");
}

TEST_F(IrcDialectTest, AMemberWithoutANicknameGetsOneFromItsAddress) {
  EXPECT_EQ(irc_nick_of("127.0.0.1:40000"), "127-0-0-1-40000");
  EXPECT_EQ(irc_nick_of("[::1]:40000"), "[--1]-40000");
  EXPECT_EQ(spelled(plain_, ChatEvent::renamed("lobby", "127.0.0.1:40000", "dave")),
            ":127-0-0-1-40000!127-0-0-1-40000@chatroomd NICK :dave\r\n");
}

TEST_F(IrcDialectTest, PrivateLinesGoToTheRecipientsNickAndTheEchoIsTheSessionsBusiness) {
  EXPECT_EQ(spelled(plain_, ChatEvent::private_line("bob", "alice", "psst")),
            ":alice!alice@chatroomd PRIVMSG bob :psst\r\n");
  EXPECT_EQ(spelled(plain_, ChatEvent::private_echo("bob", "alice", "psst")), "");
}

TEST_F(IrcDialectTest, AReplayCarriesItsTimeAsATagOrBeforeTheText) {
  const SaidLine line{"alice", ChatKind::Chat, "earlier", kAt};
  EXPECT_EQ(spelled(timed_, ChatEvent::replay("den", line)),
            "@time=2026-12-03T17:20:05.042Z :alice!alice@chatroomd PRIVMSG #den :earlier\r\n");
  EXPECT_EQ(spelled(plain_, ChatEvent::replay("den", line)), ":alice!alice@chatroomd PRIVMSG #den :[17:20:05] earlier\r\n");
}

TEST_F(IrcDialectTest, ALongLineIsSplitIntoMessagesOfAtMost510BytesWithoutCuttingACharacter) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "é";  // 800 bytes, two each
  for (const IrcDialect* dialect : {&plain_, &timed_}) {
    const std::string all = spelled(*dialect, ChatEvent::said(ChatKind::Action, "den", "alice", text, kAt));
    std::string joined;
    std::size_t messages = 0;
    std::size_t start = 0;
    while (start < all.size()) {
      const std::size_t end = all.find("\r\n", start);
      ASSERT_NE(end, std::string::npos);
      const std::string_view line = std::string_view(all).substr(start, end - start);
      const IrcParseResult parsed = parse_irc_message(line);
      ASSERT_TRUE(parsed.message) << line;
      ASSERT_EQ(parsed.message->params.size(), 2U);
      std::string_view part = parsed.message->params[1];
      ASSERT_TRUE(part.starts_with("\x01" "ACTION ") && part.ends_with("\x01")) << "every piece is a whole action";
      part.remove_prefix(8);
      part.remove_suffix(1);
      joined.append(part);
      ++messages;
      start = end + 2;
    }
    EXPECT_EQ(messages, 2U);
    EXPECT_EQ(joined, text) << "nothing lost, no character cut";
  }
}

}  // namespace
}  // namespace chatroom
