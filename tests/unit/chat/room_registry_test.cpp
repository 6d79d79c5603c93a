#include "chat/room_registry.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace chatroom {
namespace {

struct Member final : Participant {
  void deliver(const SharedBytes&) override {}
};

TEST(RoomRegistry, RoomsAreCreatedOnFirstUseAndFoundWhateverTheCase) {
  RoomRegistry rooms(5);
  Room& dev = rooms.open("Dev");
  EXPECT_EQ(&rooms.open("dev"), &dev);
  EXPECT_EQ(rooms.find("DEV"), &dev);
  EXPECT_EQ(dev.name(), "Dev") << "keeps the spelling it was created with";
  EXPECT_EQ(rooms.find("ops"), nullptr);
}

TEST(RoomRegistry, AnEmptyRoomIsForgottenAndAnOccupiedOneKept) {
  RoomRegistry rooms(5);
  Member member;
  Room& kept = rooms.open("kept");
  kept.join(member);
  rooms.close_if_empty(kept);
  rooms.close_if_empty(rooms.open("empty"));
  EXPECT_EQ(rooms.size(), 1u);
  EXPECT_EQ(rooms.find("empty"), nullptr);
  EXPECT_EQ(rooms.find("kept"), &kept);
}

TEST(RoomRegistry, ListIsSortedByNameWithMemberCounts) {
  RoomRegistry rooms(0);
  Member a;
  Member b;
  Member c;
  rooms.open("zeta").join(a);
  rooms.open("Alpha").join(b);
  rooms.open("Alpha").join(c);
  const auto list = rooms.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "Alpha");
  EXPECT_EQ(list[0].members, 2u);
  EXPECT_EQ(list[1].name, "zeta");
  EXPECT_EQ(list[1].members, 1u);
}

}  // namespace
}  // namespace chatroom
