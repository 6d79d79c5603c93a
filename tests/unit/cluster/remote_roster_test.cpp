// The other nodes' members as one node keeps them: indexed by room and nickname from joins,
// leaves, renames and rosters, and forgotten with their node.
#include "cluster/remote_roster.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace chatroom {
namespace {

using namespace std::chrono_literals;

MemberEntry member(std::uint64_t id, std::string name, bool nicknamed, std::string room) {
  return MemberEntry{id, std::move(name), nicknamed, std::move(room), {}, false};
}

// A roster that has heard from nodes "a" and "b": members are kept only for nodes heard from.
RemoteRoster roster_hearing_a_and_b() {
  RemoteRoster roster;
  roster.heard_from(NodeOrigin{"a", 1}, TimePoint{});
  roster.heard_from(NodeOrigin{"b", 1}, TimePoint{});
  return roster;
}

std::vector<std::string> names_in(const RemoteRoster& roster, std::string_view room, std::size_t limit = 100) {
  std::vector<MemberEntry> members;
  roster.list_members_in(room, limit, members);
  std::vector<std::string> names;
  for (const MemberEntry& member : members) names.push_back(member.name);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(RemoteRoster, MembersAreCountedByRoomWhateverTheCaseAndFoundByNickname) {
  RemoteRoster roster = roster_hearing_a_and_b();
  roster.add("a", member(1, "alice", true, "Dev"));
  roster.add("a", member(2, "10.0.0.2:5000", false, "dev"));
  roster.add("b", member(1, "bob", true, "lobby"));
  EXPECT_EQ(roster.members_in("DEV"), 2U);
  EXPECT_EQ(roster.members_in("lobby"), 1U);
  EXPECT_EQ(roster.members_in("nowhere"), 0U);
  EXPECT_EQ(names_in(roster, "dev"), (std::vector<std::string>{"10.0.0.2:5000", "alice"}));
  EXPECT_EQ(roster.node_of("ALICE", true), "a");
  EXPECT_EQ(roster.node_of("bob", true), "b");
  EXPECT_EQ(roster.node_of("10.0.0.2:5000", true), std::nullopt) << "an address is no nickname";
  EXPECT_EQ(roster.node_of("10.0.0.2:5000", false), "a");
  EXPECT_TRUE(roster.contains("b", 1));
  EXPECT_FALSE(roster.contains("a", 3));
  EXPECT_EQ(roster.member_count(), 3U);
  const std::optional<RemoteRoster::MemberReport> found = roster.nicknamed("ALICE");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->node, "a");
  EXPECT_EQ(found->entry, member(1, "alice", true, "Dev")) << "as its holder spells it, with its room";
  EXPECT_FALSE(roster.nicknamed("10.0.0.2:5000").has_value()) << "an address is no nickname";
}

TEST(RemoteRoster, ALeaveAndARenameKeepTheIndexesTrue) {
  RemoteRoster roster = roster_hearing_a_and_b();
  roster.add("a", member(1, "alice", true, "dev"));
  EXPECT_EQ(roster.update("a", member(1, "alicia", true, "dev")), std::vector<std::string>{"dev"});
  EXPECT_EQ(roster.node_of("alice", true), std::nullopt);
  EXPECT_EQ(roster.node_of("alicia", true), "a");
  EXPECT_FALSE(roster.nicknamed("alice").has_value());
  EXPECT_EQ(roster.nicknamed("Alicia")->entry.name, "alicia");
  const std::optional<MemberEntry> gone = roster.remove("a", 1, "DEV");
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(gone->name, "alicia");
  EXPECT_EQ(roster.members_in("dev"), 0U);
  EXPECT_EQ(roster.node_of("alicia", true), std::nullopt);
  EXPECT_FALSE(roster.nicknamed("alicia").has_value());
  EXPECT_FALSE(roster.remove("a", 1, "dev").has_value()) << "removing twice is harmless";
  EXPECT_TRUE(roster.update("a", member(1, "alicia", true, "dev")).empty()) << "a change to nobody known";
  EXPECT_FALSE(roster.contains("a", 1));
}

TEST(RemoteRoster, AMemberInSeveralRoomsHasASeatInEachAndOneName) {
  RemoteRoster roster = roster_hearing_a_and_b();
  roster.add("a", member(1, "alice", true, "lobby"));
  roster.add("a", member(1, "alice", true, "dev"));
  MemberEntry operator_of_ops = member(1, "alice", true, "ops");
  operator_of_ops.room_operator = true;
  roster.add("a", operator_of_ops);
  roster.add("a", member(1, "alice", true, "DEV"));  // told again: the same seat
  EXPECT_EQ(roster.members_in("dev"), 1U);
  EXPECT_EQ(roster.members_in("lobby"), 1U);
  EXPECT_EQ(roster.member_count(), 1U) << "one member, three rooms";
  ASSERT_EQ(roster.members().size(), 1U);
  EXPECT_EQ(roster.members().front().seats.size(), 3U);
  const std::optional<RemoteRoster::MemberReport> alice = roster.nicknamed("alice");
  ASSERT_TRUE(alice.has_value());
  ASSERT_NE(alice->seat_in("OPS"), nullptr);
  EXPECT_TRUE(alice->seat_in("ops")->room_operator);
  EXPECT_FALSE(alice->seat_in("lobby")->room_operator) << "an operator of one room only";
  EXPECT_EQ(alice->seat_in("elsewhere"), nullptr);

  // A rename or an away state is the member's, in every room; a change told with a room it has
  // left meanwhile still renames it.
  MemberEntry away = member(1, "alicia", true, "gone-room");
  away.away = "lunch";
  const std::vector<std::string> rooms = roster.update("a", away);
  EXPECT_EQ(rooms, (std::vector<std::string>{"lobby", "DEV", "ops"}));
  const std::optional<RemoteRoster::MemberReport> alicia = roster.nicknamed("ALICIA");
  ASSERT_TRUE(alicia.has_value());
  for (const MemberEntry& seat : alicia->seats) {
    EXPECT_EQ(seat.name, "alicia");
    EXPECT_EQ(seat.away, "lunch");
  }
  EXPECT_FALSE(roster.nicknamed("alice").has_value());
  EXPECT_EQ(names_in(roster, "ops"), std::vector<std::string>{"alicia"});

  // Parting one room keeps the others and the name; quitting removes every seat.
  ASSERT_TRUE(roster.remove("a", 1, "dev").has_value());
  EXPECT_EQ(roster.members_in("dev"), 0U);
  EXPECT_EQ(roster.node_of("alicia", true), "a");
  EXPECT_EQ(roster.remove_member("a", 1).size(), 2U);
  EXPECT_EQ(roster.members_in("ops"), 0U);
  EXPECT_EQ(roster.member_count(), 0U);
  EXPECT_FALSE(roster.nicknamed("alicia").has_value());
  EXPECT_TRUE(roster.remove_member("a", 1).empty());
}

TEST(RemoteRoster, ARosterReplacesWhatWasKnownOfItsNode) {
  RemoteRoster roster = roster_hearing_a_and_b();
  roster.add("a", member(1, "alice", true, "dev"));
  roster.add("a", member(2, "carol", true, "dev"));
  roster.replace("a", {member(2, "carol", true, "ops"), member(3, "dave", true, "dev")});
  EXPECT_EQ(names_in(roster, "dev"), std::vector<std::string>{"dave"});
  EXPECT_EQ(names_in(roster, "ops"), std::vector<std::string>{"carol"});
  EXPECT_EQ(roster.node_of("alice", true), std::nullopt);
}

TEST(RemoteRoster, ListingStopsAtItsLimitAndRoomCountsAddUpAcrossNodes) {
  RemoteRoster roster = roster_hearing_a_and_b();
  for (std::uint64_t i = 1; i <= 5; ++i) {
    std::string name = std::to_string(i);
    name.insert(name.begin(), 'm');  // not "m" + ...: GCC 12 at -O3 warns falsely (-Wrestrict) about that
    roster.add("a", member(i, name, true, "big"));
  }
  roster.add("b", member(1, "x", true, "Big"));
  EXPECT_EQ(names_in(roster, "big", 3).size(), 3U);
  std::vector<RoomCount> rooms;
  roster.count_rooms(rooms);
  ASSERT_EQ(rooms.size(), 1U);
  EXPECT_EQ(rooms[0].members, 6U);
}

TEST(RemoteRoster, MembersOfANodeNeverHeardFromAreNotKept) {
  RemoteRoster roster;
  roster.add("stranger", member(1, "eve", true, "dev"));
  EXPECT_EQ(roster.member_count(), 0U);
  EXPECT_EQ(roster.node_of("eve", true), std::nullopt);
}

TEST(RemoteRoster, ANodeHeardUnderANewInstanceHasRestartedAndItsOldMembersAreGone) {
  RemoteRoster roster;
  const TimePoint start{};
  EXPECT_TRUE(roster.heard_from(NodeOrigin{"a", 1}, start).empty());
  roster.add("a", member(1, "alice", true, "dev"));
  EXPECT_TRUE(roster.heard_from(NodeOrigin{"a", 1}, start + 1s).empty()) << "the same life of the node";
  const std::vector<MemberEntry> gone = roster.heard_from(NodeOrigin{"a", 2}, start + 2s);
  ASSERT_EQ(gone.size(), 1U);
  EXPECT_EQ(gone[0].name, "alice");
  EXPECT_EQ(roster.members_in("dev"), 0U);
}

TEST(RemoteRoster, SilentNodesAreFoundAndDroppingOneReturnsItsMembers) {
  RemoteRoster roster;
  const TimePoint start{};
  roster.heard_from(NodeOrigin{"a", 1}, start);
  roster.heard_from(NodeOrigin{"b", 1}, start + 10s);
  roster.add("a", member(1, "alice", true, "dev"));
  EXPECT_EQ(roster.silent_since(start + 5s), std::vector<std::string>{"a"});
  const std::vector<MemberEntry> dropped = roster.drop("a");
  ASSERT_EQ(dropped.size(), 1U);
  EXPECT_EQ(roster.member_count(), 0U);
  EXPECT_EQ(roster.node_of("alice", true), std::nullopt);
  EXPECT_TRUE(roster.silent_since(start + 5s).empty());
}

}  // namespace
}  // namespace chatroom
