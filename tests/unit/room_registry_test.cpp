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

TEST(MessageHistory, KeepsTheLastMessagesOldestFirst) {
  MessageHistory history(3);
  const auto now = std::chrono::system_clock::now();
  for (char digit = '0'; digit < '5'; ++digit) history.record(SharedBytes::copy_of(std::string{'m', digit}), now);
  std::vector<std::string> kept;
  history.for_each([&](const MessageHistory::Entry& entry) { kept.emplace_back(entry.line.view()); });
  EXPECT_EQ(kept, (std::vector<std::string>{"m2", "m3", "m4"}));
}

TEST(MessageHistory, ZeroCapacityKeepsNothing) {
  MessageHistory history(0);
  history.record(SharedBytes::copy_of("x"), std::chrono::system_clock::now());
  EXPECT_EQ(history.size(), 0u);
}

}  // namespace
}  // namespace chatroom
