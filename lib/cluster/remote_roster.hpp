// What one node knows of the others: each live node's members (who, under which name, in which
// rooms: one entry, a seat, per room) and when it was last heard from. Kept from the members' join, leave and rename events
// and from the rosters nodes send when one (re)joins, so \who, \rooms, \msg and the notice
// limit answer from memory, with no round trip.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/chat_peers.hpp"
#include "cluster/bus_message.hpp"
#include "reactor/clock.hpp"

namespace chatroom {

class RemoteRoster {
 public:
  struct NodeReport {
    NodeOrigin origin;
    std::size_t members = 0;      // known to us
    HeartbeatMessage load;        // as its last heartbeat said
    TimePoint last_heard{};
  };
  struct MemberReport {
    std::string node;
    MemberEntry entry;               // its first seat: name, away and first room
    std::vector<MemberEntry> seats;  // every room it is in, `entry` first
    // Its seat in `room`; nullptr if it is not in it.
    [[nodiscard]] const MemberEntry* seat_in(std::string_view room) const;
  };

  // Notes that `origin` spoke now. A node seen under a new instance has restarted: the
  // previous instance's members are returned (they are gone) and forgotten.
  std::vector<MemberEntry> heard_from(const NodeOrigin& origin, TimePoint now);
  // What the node's last heartbeat said of its load.
  void set_load(const std::string& node, const HeartbeatMessage& heartbeat);

  // The member in `entry.room` (the seat it had there replaced).
  void add(const std::string& node, const MemberEntry& entry);
  [[nodiscard]] bool contains(const std::string& node, std::uint64_t member) const;
  // Its seat in `room` as it was, if it was known.
  std::optional<MemberEntry> remove(const std::string& node, std::uint64_t member, std::string_view room);
  // Every seat of the member, as they were (none if it was unknown).
  std::vector<MemberEntry> remove_member(const std::string& node, std::uint64_t member);
  // The member's name, nickname flag and away message are `changed`'s on every seat, and its
  // seat in `changed.room` is `changed`; returns the rooms it is in, none if it is unknown.
  std::vector<std::string> update(const std::string& node, const MemberEntry& changed);
  // The node's members from now on are exactly `members`.
  void replace(const std::string& node, const std::vector<MemberEntry>& members);
  // Forgets the node, returning its members.
  std::vector<MemberEntry> drop(const std::string& node);
  // Nodes not heard from since `deadline`.
  [[nodiscard]] std::vector<std::string> silent_since(TimePoint deadline) const;

  [[nodiscard]] std::size_t members_in(std::string_view room) const;
  void list_members_in(std::string_view room, std::size_t limit, std::vector<MemberEntry>& members) const;
  void count_rooms(std::vector<RoomCount>& rooms) const;
  // The node of the member shown as `name` (a nickname, or "ip:port" when `nicknamed_only` is false).
  [[nodiscard]] std::optional<std::string> node_of(std::string_view name, bool nicknamed_only) const;
  // The member whose nickname is `name` (folded as names are), and its node.
  [[nodiscard]] std::optional<MemberReport> nicknamed(std::string_view name) const;
  [[nodiscard]] std::vector<NodeReport> nodes() const;
  // One report per member, however many rooms it is in.
  [[nodiscard]] std::vector<MemberReport> members() const;
  [[nodiscard]] std::size_t member_count() const;

 private:
  struct Node {
    NodeOrigin origin;
    HeartbeatMessage load;
    TimePoint last_heard{};
    std::unordered_map<std::uint64_t, std::vector<MemberEntry>> members;  // by id: its seats
  };
  void index_seat(const MemberEntry& seat);
  void unindex_seat(const MemberEntry& seat);
  void index_name(const MemberEntry& entry, const std::string& node);
  void unindex_name(const MemberEntry& entry);

  std::unordered_map<std::string, Node> nodes_;       // by node name
  struct RoomSize {
    std::string name;  // as first spelt
    std::size_t members = 0;
  };
  std::unordered_map<std::string, RoomSize> room_sizes_;  // by folded room name
  struct NicknameOwner {
    std::string node;
    std::uint64_t member = 0;
  };
  std::unordered_map<std::string, NicknameOwner> nickname_owners_;  // by folded nickname
};

}  // namespace chatroom
