// The bus's wire format: every kind survives a round trip, and anything a stranger could
// publish that encode() would not have produced is refused, never half-read.
#include "cluster/bus_message.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace chatroom {
namespace {

using namespace std::chrono_literals;

const NodeOrigin kOrigin{"node-1:7000", 0x0123456789abcdefULL};

std::string encoded(BusBody body) { return encode(BusMessage{kOrigin, std::move(body)}); }

MemberEntry alice() { return MemberEntry{42, "alice", true, "dev", ""}; }

std::vector<BusBody> one_of_each_kind() {
  return {
      SaidMessage{"lobby", SaidLine{"alice", ChatKind::Chat, "hello; 3:x; \t\x01 \xc3\xa9", WallTime(1700000000123ms)}},
      SaidMessage{"dev", SaidLine{"127.0.0.1:5555", ChatKind::Action, "waves", WallTime(5ms)}},
      JoinedMessage{alice()},
      JoinedMessage{MemberEntry{7, "[::1]:40000", false, "lobby", ""}},
      LeftMessage{alice(), "kicked: spam", ""},
      LeftMessage{alice(), "", ""},
      LeftMessage{alice(), "too loud", "bob"},
      LeftMessage{alice(), "", "127.0.0.1:5555"},
      QuitMessage{alice(), "gone fishing"},
      QuitMessage{alice(), ""},
      RenamedMessage{alice(), "127.0.0.1:5555"},
      AwayMessage{MemberEntry{42, "alice", true, "dev", "gone fishing \xc3\xa9"}},
      AwayMessage{alice()},
      OperatorMessage{MemberEntry{8, "bob", true, "dev", "", true}, "alice"},
      OperatorRequestMessage{"dev", "alice", "bob", OperatorAction::Kick, "too loud; 3:x"},
      OperatorRequestMessage{"dev", "alice", "bob", OperatorAction::Give, ""},
      OperatorRequestMessage{"dev", "alice", "127.0.0.1:5555", OperatorAction::Take, ""},
      OperatorMessage{MemberEntry{8, "bob", true, "dev", "", false}, "127.0.0.1:5555"},
      PrivateMessage{"bob", "alice", "psst"},
      KickMessage{"bob", "go away"},
      TopicMessage{"dev", Room::Topic{"release on friday; 3:x \xc3\xa9", "alice", WallTime(1700000000123ms)}},
      TopicMessage{"dev", Room::Topic{"", "127.0.0.1:5555", WallTime(5ms)}},
      ServerTextMessage{"maintenance at noon"},
      HeartbeatMessage{1234, 99, 123456, 1700000000000},
      HelloMessage{},
      RosterMessage{{alice(), MemberEntry{8, "bob", true, "lobby", "lunch; 3:x \xc3\xa9"}}},
      RosterMessage{},
      GoodbyeMessage{},
  };
}

TEST(BusMessage, EveryKindSurvivesARoundTrip) {
  for (const BusBody& body : one_of_each_kind()) {
    const std::string payload = encoded(body);
    const std::optional<BusMessage> decoded = decode(payload);
    ASSERT_TRUE(decoded.has_value()) << payload;
    EXPECT_EQ(decoded->origin, kOrigin);
    EXPECT_EQ(decoded->body.index(), body.index()) << payload;
    EXPECT_EQ(encode(*decoded), payload) << "one spelling per message";
  }
}

TEST(BusMessage, SaidKeepsEveryFieldAndAnyByteOfTheText) {
  const std::string text = "a;b:c 5:x; \x1f\x7f end";
  const auto decoded = decode(encoded(SaidMessage{"lobby", SaidLine{"alice", ChatKind::Action, text, WallTime(99ms)}}));
  ASSERT_TRUE(decoded.has_value());
  const auto& said = std::get<SaidMessage>(decoded->body);
  EXPECT_EQ(said.room, "lobby");
  EXPECT_EQ(said.line.sender, "alice");
  EXPECT_EQ(said.line.kind, ChatKind::Action);
  EXPECT_EQ(said.line.text, text);
  EXPECT_EQ(said.line.sent_at, WallTime(99ms));
}

TEST(BusMessage, TheHeaderMustBeExact) {
  const std::string good = encoded(HelloMessage{});
  ASSERT_TRUE(decode(good));
  EXPECT_FALSE(decode("CR1" + good.substr(3))) << "another version: a node from before away states";
  EXPECT_FALSE(decode("CR2" + good.substr(3))) << "another version: a node from before members in several rooms";
  EXPECT_FALSE(decode("CR3 shout" + good.substr(9))) << "an unknown kind";
  EXPECT_FALSE(decode(""));
  EXPECT_FALSE(decode("CR3"));
  EXPECT_FALSE(decode("CR3 hello"));
  EXPECT_FALSE(decode("hello world"));
}

TEST(BusMessage, TruncatedPaddedOrMiscountedFieldsAreRefused) {
  const std::string good = encoded(PrivateMessage{"bob", "alice", "psst"});
  for (std::size_t cut = 0; cut < good.size(); ++cut) EXPECT_FALSE(decode(good.substr(0, cut))) << cut;
  EXPECT_FALSE(decode(good + "4:more;")) << "a field too many";
  EXPECT_FALSE(decode(good + " ")) << "trailing bytes";
  std::string longer = good;
  longer.replace(longer.rfind("4:psst"), 6, "5:psst");
  EXPECT_FALSE(decode(longer)) << "a length that does not match";
  std::string zero_padded = good;
  zero_padded.replace(zero_padded.rfind("4:psst"), 6, "04:psst");
  EXPECT_FALSE(decode(zero_padded));
}

TEST(BusMessage, FieldsAreValidatedNotJustSplit) {
  const auto with_room = [](std::string room) { return encoded(JoinedMessage{MemberEntry{1, "alice", true, room, ""}}); };
  EXPECT_FALSE(decode(with_room("no spaces"))) << "an invalid room name";
  EXPECT_FALSE(decode(with_room(std::string(33, 'r')))) << "a room name too long";
  EXPECT_FALSE(decode(encoded(JoinedMessage{MemberEntry{1, "al ice", false, "lobby", ""}}))) << "a name with a space";
  EXPECT_FALSE(decode(encoded(JoinedMessage{MemberEntry{1, "1.2.3.4:5", true, "lobby", ""}})))
      << "an address flagged as a nickname";
  EXPECT_FALSE(decode(encoded(ServerTextMessage{"two\nlines"}))) << "a newline in a line";
  EXPECT_FALSE(decode(encoded(KickMessage{"bob", std::string(300, 'x')}))) << "a reason too long";
  EXPECT_FALSE(decode(encoded(TopicMessage{"dev", Room::Topic{std::string(kMaxTopicBytes + 1, 't'), "alice", {}}})))
      << "a topic too long";
  EXPECT_FALSE(decode(encoded(TopicMessage{"dev", Room::Topic{"two\nlines", "alice", {}}}))) << "a newline in a topic";
  EXPECT_FALSE(decode(encoded(TopicMessage{"dev", Room::Topic{"hi", "", {}}}))) << "a topic set by nobody";
  EXPECT_FALSE(decode(encode(BusMessage{NodeOrigin{"bad node", 1}, HelloMessage{}}))) << "an invalid node name";
  EXPECT_FALSE(decode(encoded(AwayMessage{MemberEntry{1, "alice", true, "lobby", std::string(kMaxTopicBytes + 1, 'a')}})))
      << "an away message too long";
  EXPECT_FALSE(decode(encoded(AwayMessage{MemberEntry{1, "alice", true, "lobby", "two\nlines"}})))
      << "a newline in an away message";
  EXPECT_FALSE(decode(encoded(OperatorMessage{alice(), "al ice"}))) << "an operator's name with a space";
  EXPECT_FALSE(decode(encoded(LeftMessage{alice(), "", "b ob"}))) << "a kicker's name with a space";
  EXPECT_FALSE(decode("CR3 hello 5:node1;3:abc;")) << "an instance that is not 16 hex digits";
  EXPECT_FALSE(decode("CR3 heartbeat 5:node1;16:0000000000000001;2:-1;1:0;1:0;1:0;")) << "a negative count";
  EXPECT_FALSE(decode("CR3 said 5:node1;16:0000000000000001;5:lobby;5:alice;5:shout;2:hi;1:0;"))
      << "an unknown chat kind";
  EXPECT_FALSE(decode("CR3 roster 5:node1;16:0000000000000001;10:9999999999;")) << "a count the payload cannot hold";
}

TEST(BusMessage, RandomDamageIsRefusedOrDecodesToSomethingEncodable) {
  std::mt19937 random(12345);
  for (const BusBody& body : one_of_each_kind()) {
    const std::string good = encoded(body);
    for (int round = 0; round < 2000; ++round) {
      std::vector<char> bytes(good.begin(), good.end());
      const int edits = 1 + static_cast<int>(random() % 4);
      for (int edit = 0; edit < edits && !bytes.empty(); ++edit) {
        const auto at = bytes.begin() + static_cast<std::ptrdiff_t>(random() % bytes.size());
        switch (random() % 3) {
          case 0:
            *at = static_cast<char>(random());
            break;
          case 1:
            bytes.erase(at);
            break;
          default:
            bytes.insert(at, static_cast<char>(random()));
            break;
        }
      }
      const std::string damaged(bytes.begin(), bytes.end());
      const std::optional<BusMessage> decoded = decode(damaged);
      if (decoded) {
        EXPECT_EQ(encode(*decoded), damaged) << "only canonical payloads are accepted";
      }
    }
  }
}

}  // namespace
}  // namespace chatroom
