// The history ring.
#include "chat/message_history.hpp"

namespace chatroom {

void MessageHistory::record(ChatKind kind, std::string_view sender, std::string_view text, WallTime sent_at) {
  if (capacity_ == 0) return;
  if (entries_.size() < capacity_) {
    entries_.push_back(SaidLine{std::string(sender), kind, std::string(text), sent_at});
    return;
  }
  SaidLine& forgotten = entries_[oldest_];
  forgotten.sender.assign(sender);
  forgotten.kind = kind;
  forgotten.text.assign(text);
  forgotten.sent_at = sent_at;
  oldest_ = (oldest_ + 1) % capacity_;
}

}  // namespace chatroom
