// Room lookup, creation and removal.
#include "chat/room_registry.hpp"

#include <algorithm>

#include "chat/name_rules.hpp"

namespace chatroom {

Room& RoomRegistry::open(std::string_view name) {
  auto [found, inserted] = rooms_.try_emplace(fold_name(name));
  if (inserted) found->second = std::make_unique<Room>(std::string(name), history_capacity_);
  return *found->second;
}

Room* RoomRegistry::find(std::string_view name) {
  const auto found = rooms_.find(fold_name(name));
  return found == rooms_.end() ? nullptr : found->second.get();
}

void RoomRegistry::close_if_empty(Room& room) {
  if (room.size() == 0) rooms_.erase(fold_name(room.name()));
}

std::vector<RoomRegistry::Summary> RoomRegistry::list() const {
  std::vector<Summary> summaries;
  summaries.reserve(rooms_.size());
  for (const auto& [folded, room] : rooms_) summaries.push_back({room->name(), room->size()});
  std::sort(summaries.begin(), summaries.end(),
            [](const Summary& a, const Summary& b) { return fold_name(a.name) < fold_name(b.name); });
  return summaries;
}

}  // namespace chatroom
