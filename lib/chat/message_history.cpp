// The history ring.
#include "chat/message_history.hpp"

namespace chatroom {

void MessageHistory::record(SharedBytes line, WallTime sent_at) {
  if (capacity_ == 0) return;
  if (entries_.size() < capacity_) {
    entries_.push_back({sent_at, std::move(line)});
    return;
  }
  entries_[oldest_] = {sent_at, std::move(line)};
  oldest_ = (oldest_ + 1) % capacity_;
}

}  // namespace chatroom
