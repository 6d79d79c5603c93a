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

TEST(Room, BroadcastReachesEveryoneButTheSender) {
  Room room;
  FakeParticipant alice;
  FakeParticipant bob;
  FakeParticipant carol;
  room.join(alice);
  room.join(bob);
  room.join(carol);
  EXPECT_EQ(room.broadcast(SharedBytes::copy_of("hi"), &alice), 2U);
  EXPECT_TRUE(alice.received.empty());
  EXPECT_EQ(bob.received, std::vector<std::string>{"hi"});
  EXPECT_EQ(carol.received, std::vector<std::string>{"hi"});
}

TEST(Room, BroadcastWithoutSenderReachesEveryone) {
  Room room;
  FakeParticipant alice;
  room.join(alice);
  EXPECT_EQ(room.broadcast(SharedBytes::copy_of("server says")), 1U);
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
  room.broadcast(SharedBytes::copy_of("x"));
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
  room.broadcast(SharedBytes::copy_of("x"));
  EXPECT_EQ(alice.received.size(), 1U);
}

}  // namespace
}  // namespace chatroom
