// A room's most recent lines, replayed to whoever joins it, in the joiner's own dialect.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "chat/said_line.hpp"

namespace chatroom {

class MessageHistory {
 public:
  explicit MessageHistory(std::size_t capacity) : capacity_(capacity) {}

  // Keeps a copy of the line, forgetting the oldest once `capacity` are kept. Once the ring is
  // full, the forgotten line's strings take the new one's bytes: no allocation for lines no
  // longer than those they replace.
  void record(ChatKind kind, std::string_view sender, std::string_view text, WallTime sent_at);
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool enabled() const { return capacity_ > 0; }

  // Calls `visit(line)` for each kept line, oldest first.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t i = 0; i < entries_.size(); ++i) visit(entries_[(oldest_ + i) % entries_.size()]);
  }

 private:
  std::size_t capacity_;
  // Grows to capacity, then wraps: oldest_ is where the next record goes.
  std::vector<SaidLine> entries_;
  std::size_t oldest_ = 0;
};

}  // namespace chatroom
