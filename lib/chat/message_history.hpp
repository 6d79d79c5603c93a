// A room's most recent messages, replayed to whoever joins it.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "buffer/shared_bytes.hpp"

namespace chatroom {

using WallTime = std::chrono::system_clock::time_point;

class MessageHistory {
 public:
  struct Entry {
    WallTime sent_at;
    SharedBytes line;  // the live line as broadcast, shared with the recipients' queues
  };

  explicit MessageHistory(std::size_t capacity) : capacity_(capacity) {}

  // Keeps `line`, forgetting the oldest once `capacity` are kept. Costs a reference, not a copy.
  void record(SharedBytes line, WallTime sent_at);
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool enabled() const { return capacity_ > 0; }

  // Calls `visit(entry)` for each kept message, oldest first.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t i = 0; i < entries_.size(); ++i) visit(entries_[(oldest_ + i) % entries_.size()]);
  }

 private:
  std::size_t capacity_;
  // Grows to capacity, then wraps: oldest_ is where the next record goes.
  std::vector<Entry> entries_;
  std::size_t oldest_ = 0;
};

}  // namespace chatroom
