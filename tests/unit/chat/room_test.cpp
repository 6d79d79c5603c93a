#include "chat/room.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chatroom {
namespace {

struct FakeParticipant final : Participant {
  std::vector<std::string> received;
  void deliver(const SharedBytes& message) override { received.emplace_back(message.view()); }
};

// A dialect that spells every event as its text, and counts how often it was asked.
struct EchoDialect final : Dialect {
  explicit EchoDialect(std::size_t slot, std::string prefix) : Dialect(slot), prefix_(std::move(prefix)) {}
  SharedBytes spell(const ChatEvent& event, std::string&) const override {
    ++spellings;
    return event.text.empty() ? SharedBytes() : SharedBytes::copy_of(prefix_ + std::string(event.text));
  }
  mutable int spellings = 0;

 private:
  std::string prefix_;
};

// Broadcasts `text` said by nobody in particular, in whatever dialect each member speaks.
std::size_t say(Room& room, std::string_view text, const Participant* sender = nullptr) {
  const ChatEvent event = ChatEvent::said(ChatKind::Server, room.name(), "server", text, WallTime());
  std::string scratch;
  Broadcast broadcast(event, scratch);
  return room.broadcast(broadcast, sender);
}

TEST(Room, BroadcastReachesEveryoneButTheSender) {
  Room room;
  FakeParticipant alice;
  FakeParticipant bob;
  FakeParticipant carol;
  room.join(alice);
  room.join(bob);
  room.join(carol);
  EXPECT_EQ(say(room, "hi", &alice), 2U);
  EXPECT_TRUE(alice.received.empty());
  EXPECT_EQ(bob.received, std::vector<std::string>{"<server>:\thi\n"});
  EXPECT_EQ(carol.received, std::vector<std::string>{"<server>:\thi\n"});
}

TEST(Room, BroadcastWithoutSenderReachesEveryone) {
  Room room;
  FakeParticipant alice;
  room.join(alice);
  EXPECT_EQ(say(room, "server says"), 1U);
  EXPECT_EQ(alice.received.size(), 1U);
}

TEST(Room, LeftMembersReceiveNothingAndOthersStay) {
  Room room;
  std::vector<FakeParticipant> members(5);
  for (FakeParticipant& member : members) room.join(member);
  room.leave(members[1]);
  room.leave(members[4]);
  room.leave(members[1]);  // leaving twice is harmless
  EXPECT_EQ(room.size(), 3U);
  say(room, "x");
  EXPECT_TRUE(members[1].received.empty());
  EXPECT_TRUE(members[4].received.empty());
  for (const std::size_t i : {0U, 2U, 3U}) EXPECT_EQ(members[i].received.size(), 1U);
  EXPECT_FALSE(room.contains(members[1]));
  EXPECT_TRUE(room.contains(members[3]));
}

TEST(Room, JoiningTwiceDoesNotDeliverTwice) {
  Room room;
  FakeParticipant alice;
  room.join(alice);
  room.join(alice);
  say(room, "x");
  EXPECT_EQ(alice.received.size(), 1U);
}

TEST(Room, EachDialectSpellsABroadcastOnceAndItsMembersShareTheBytes) {
  Room room("den");
  EchoDialect first(1, "1:");
  EchoDialect second(2, "2:");
  std::vector<FakeParticipant> members(6);
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i % 3 == 1) members[i].set_dialect(first);
    if (i % 3 == 2) members[i].set_dialect(second);
    room.join(members[i]);
  }
  EXPECT_EQ(say(room, "hi"), 6U);
  EXPECT_EQ(first.spellings, 1);
  EXPECT_EQ(second.spellings, 1);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string expected = i % 3 == 0 ? "<server>:\thi\n" : (i % 3 == 1 ? "1:hi" : "2:hi");
    EXPECT_EQ(members[i].received, std::vector<std::string>{expected}) << "member " << i;
  }
}

TEST(Room, AMemberWhoseDialectSaysNothingIsNotCounted) {
  Room room("den");
  EchoDialect silent(1, "");
  FakeParticipant plain;
  FakeParticipant quiet;
  quiet.set_dialect(silent);
  room.join(plain);
  room.join(quiet);
  const ChatEvent event = ChatEvent::joined("den", "alice");  // no text: EchoDialect says nothing
  std::string scratch;
  Broadcast broadcast(event, scratch);
  EXPECT_EQ(room.broadcast(broadcast), 1U);
  EXPECT_EQ(plain.received, std::vector<std::string>{"* alice joined\n"});
  EXPECT_TRUE(quiet.received.empty());
}

}  // namespace
}  // namespace chatroom
