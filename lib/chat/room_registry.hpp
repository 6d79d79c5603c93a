// Every room on the server, by name: created on first join, forgotten when the last member
// leaves. Names compare case-insensitively; a room keeps the spelling it was created with.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/room.hpp"

namespace chatroom {

class RoomRegistry {
 public:
  explicit RoomRegistry(std::size_t history_capacity) : history_capacity_(history_capacity) {}

  // The room called `name` (a valid name), created if it does not exist.
  Room& open(std::string_view name);
  [[nodiscard]] Room* find(std::string_view name);
  // Forgets `room` if nobody is in it; `room` must not be used afterwards if it was.
  void close_if_empty(Room& room);
  [[nodiscard]] std::size_t size() const { return rooms_.size(); }

  struct Summary {
    std::string name;
    std::size_t members = 0;
  };
  // Every room, sorted by name.
  [[nodiscard]] std::vector<Summary> list() const;

  template <typename Visit>
  void for_each(Visit&& visit) {
    for (auto& [folded, room] : rooms_) visit(*room);
  }

 private:
  std::size_t history_capacity_;
  // Rooms live on the heap so members can point at them while the map rehashes.
  std::unordered_map<std::string, std::unique_ptr<Room>> rooms_;  // by folded name
};

}  // namespace chatroom
