// The other nodes' members, indexed by room and nickname.
#include "cluster/remote_roster.hpp"

#include <algorithm>

#include "chat/name_rules.hpp"

namespace chatroom {

std::vector<MemberEntry> RemoteRoster::heard_from(const NodeOrigin& origin, TimePoint now) {
  std::vector<MemberEntry> gone;
  const auto known = nodes_.find(origin.node);
  if (known != nodes_.end() && known->second.origin.instance != origin.instance) gone = drop(origin.node);
  Node& node = nodes_[origin.node];
  node.origin = origin;
  node.last_heard = now;
  return gone;
}

void RemoteRoster::set_load(const std::string& node, const HeartbeatMessage& heartbeat) {
  if (const auto found = nodes_.find(node); found != nodes_.end()) found->second.load = heartbeat;
}

const MemberEntry* RemoteRoster::MemberReport::seat_in(std::string_view room) const {
  const std::string folded = fold_name(room);
  for (const MemberEntry& seat : seats) {
    if (fold_name(seat.room) == folded) return &seat;
  }
  return nullptr;
}

void RemoteRoster::index_seat(const MemberEntry& seat) {
  RoomSize& room = room_sizes_[fold_name(seat.room)];
  if (room.members++ == 0) room.name = seat.room;
}

void RemoteRoster::unindex_seat(const MemberEntry& seat) {
  const auto room = room_sizes_.find(fold_name(seat.room));
  if (room != room_sizes_.end() && --room->second.members == 0) room_sizes_.erase(room);
}

void RemoteRoster::index_name(const MemberEntry& entry, const std::string& node) {
  if (entry.nicknamed) nickname_owners_[fold_name(entry.name)] = NicknameOwner{node, entry.member};
}

void RemoteRoster::unindex_name(const MemberEntry& entry) {
  if (entry.nicknamed) nickname_owners_.erase(fold_name(entry.name));
}

void RemoteRoster::add(const std::string& node, const MemberEntry& entry) {
  const auto found = nodes_.find(node);
  if (found == nodes_.end()) return;
  std::vector<MemberEntry>& seats = found->second.members[entry.member];
  if (!seats.empty()) unindex_name(seats.front());
  const std::string folded = fold_name(entry.room);
  const auto same_room =
      std::find_if(seats.begin(), seats.end(), [&](const MemberEntry& seat) { return fold_name(seat.room) == folded; });
  if (same_room != seats.end()) {
    unindex_seat(*same_room);
    *same_room = entry;
  } else {
    seats.push_back(entry);
  }
  index_seat(entry);
  // One name for every seat: the latest heard.
  for (MemberEntry& seat : seats) {
    seat.name = entry.name;
    seat.nicknamed = entry.nicknamed;
    seat.away = entry.away;
  }
  index_name(entry, node);
}

bool RemoteRoster::contains(const std::string& node, std::uint64_t member) const {
  const auto found = nodes_.find(node);
  return found != nodes_.end() && found->second.members.contains(member);
}

std::optional<MemberEntry> RemoteRoster::remove(const std::string& node, std::uint64_t member, std::string_view room) {
  const auto found = nodes_.find(node);
  if (found == nodes_.end()) return std::nullopt;
  const auto seats = found->second.members.find(member);
  if (seats == found->second.members.end()) return std::nullopt;
  const std::string folded = fold_name(room);
  const auto seat = std::find_if(seats->second.begin(), seats->second.end(),
                                 [&](const MemberEntry& each) { return fold_name(each.room) == folded; });
  if (seat == seats->second.end()) return std::nullopt;
  MemberEntry removed = std::move(*seat);
  seats->second.erase(seat);
  unindex_seat(removed);
  if (seats->second.empty()) {
    unindex_name(removed);
    found->second.members.erase(seats);
  }
  return removed;
}

std::vector<MemberEntry> RemoteRoster::remove_member(const std::string& node, std::uint64_t member) {
  const auto found = nodes_.find(node);
  if (found == nodes_.end()) return {};
  const auto seats = found->second.members.find(member);
  if (seats == found->second.members.end()) return {};
  std::vector<MemberEntry> removed = std::move(seats->second);
  found->second.members.erase(seats);
  for (const MemberEntry& seat : removed) unindex_seat(seat);
  if (!removed.empty()) unindex_name(removed.front());
  return removed;
}

std::vector<std::string> RemoteRoster::update(const std::string& node, const MemberEntry& changed) {
  if (!contains(node, changed.member)) return {};
  const std::vector<MemberEntry>& seats = nodes_[node].members[changed.member];
  const std::string folded = fold_name(changed.room);
  const bool in_room =
      std::any_of(seats.begin(), seats.end(), [&](const MemberEntry& seat) { return fold_name(seat.room) == folded; });
  if (in_room) {
    add(node, changed);
  } else {
    // A change told with a room the member has left meanwhile: its name and away state hold.
    MemberEntry renamed = seats.front();
    renamed.name = changed.name;
    renamed.nicknamed = changed.nicknamed;
    renamed.away = changed.away;
    add(node, renamed);
  }
  std::vector<std::string> rooms;
  for (const MemberEntry& seat : nodes_[node].members[changed.member]) rooms.push_back(seat.room);
  return rooms;
}

void RemoteRoster::replace(const std::string& node, const std::vector<MemberEntry>& members) {
  const auto found = nodes_.find(node);
  if (found == nodes_.end()) return;
  for (const auto& [id, seats] : found->second.members) {
    for (const MemberEntry& seat : seats) unindex_seat(seat);
    if (!seats.empty()) unindex_name(seats.front());
  }
  found->second.members.clear();
  for (const MemberEntry& entry : members) add(node, entry);
}

std::vector<MemberEntry> RemoteRoster::drop(const std::string& node) {
  std::vector<MemberEntry> members;
  const auto found = nodes_.find(node);
  if (found == nodes_.end()) return members;
  for (auto& [id, seats] : found->second.members) {
    for (MemberEntry& seat : seats) unindex_seat(seat);
    if (!seats.empty()) unindex_name(seats.front());
    for (MemberEntry& seat : seats) members.push_back(std::move(seat));
  }
  nodes_.erase(found);
  return members;
}

std::vector<std::string> RemoteRoster::silent_since(TimePoint deadline) const {
  std::vector<std::string> silent;
  for (const auto& [name, node] : nodes_) {
    if (node.last_heard < deadline) silent.push_back(name);
  }
  return silent;
}

std::size_t RemoteRoster::members_in(std::string_view room) const {
  const auto found = room_sizes_.find(fold_name(room));
  return found == room_sizes_.end() ? 0 : found->second.members;
}

void RemoteRoster::list_members_in(std::string_view room, std::size_t limit, std::vector<MemberEntry>& members) const {
  if (limit == 0 || members_in(room) == 0) return;
  const std::string folded = fold_name(room);
  for (const auto& [node_name, node] : nodes_) {
    for (const auto& [id, seats] : node.members) {
      for (const MemberEntry& seat : seats) {
        if (fold_name(seat.room) != folded) continue;
        members.push_back(seat);
        if (--limit == 0) return;
      }
    }
  }
}

void RemoteRoster::count_rooms(std::vector<RoomCount>& rooms) const {
  for (const auto& entry : room_sizes_) {
    const std::string& folded = entry.first;
    const RoomSize& room = entry.second;
    const auto same = std::find_if(rooms.begin(), rooms.end(),
                                   [&](const RoomCount& known) { return fold_name(known.name) == folded; });
    if (same != rooms.end()) {
      same->members += room.members;
    } else {
      rooms.push_back({room.name, room.members});
    }
  }
}

std::optional<std::string> RemoteRoster::node_of(std::string_view name, bool nicknamed_only) const {
  if (const auto found = nickname_owners_.find(fold_name(name)); found != nickname_owners_.end()) {
    return found->second.node;
  }
  if (nicknamed_only) return std::nullopt;
  for (const auto& [node_name, node] : nodes_) {
    for (const auto& [id, seats] : node.members) {
      if (!seats.empty() && !seats.front().nicknamed && seats.front().name == name) return node_name;
    }
  }
  return std::nullopt;
}

std::optional<RemoteRoster::MemberReport> RemoteRoster::nicknamed(std::string_view name) const {
  const auto owner = nickname_owners_.find(fold_name(name));
  if (owner == nickname_owners_.end()) return std::nullopt;
  const auto node = nodes_.find(owner->second.node);
  if (node == nodes_.end()) return std::nullopt;
  const auto member = node->second.members.find(owner->second.member);
  if (member == node->second.members.end() || member->second.empty()) return std::nullopt;
  return MemberReport{node->first, member->second.front(), member->second};
}

std::vector<RemoteRoster::NodeReport> RemoteRoster::nodes() const {
  std::vector<NodeReport> reports;
  for (const auto& [name, node] : nodes_) {
    reports.push_back({node.origin, node.members.size(), node.load, node.last_heard});
  }
  std::sort(reports.begin(), reports.end(),
            [](const NodeReport& a, const NodeReport& b) { return a.origin.node < b.origin.node; });
  return reports;
}

std::vector<RemoteRoster::MemberReport> RemoteRoster::members() const {
  std::vector<MemberReport> reports;
  for (const auto& [name, node] : nodes_) {
    for (const auto& [id, seats] : node.members) {
      if (!seats.empty()) reports.push_back({name, seats.front(), seats});
    }
  }
  return reports;
}

std::size_t RemoteRoster::member_count() const {
  std::size_t count = 0;
  for (const auto& [name, node] : nodes_) count += node.members.size();
  return count;
}

}  // namespace chatroom
