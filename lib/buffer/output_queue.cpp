// Bookkeeping of partially written output.
#include "buffer/output_queue.hpp"

#include <cassert>

namespace chatroom {

void OutputQueue::push(SharedBytes chunk) {
  if (chunk.empty()) return;
  queued_bytes_ += chunk.size();
  chunks_.push_back(std::move(chunk));
}

std::size_t OutputQueue::gather(std::span<iovec> into) const {
  std::size_t filled = 0;
  std::size_t offset = front_offset_;
  for (auto chunk = chunks_.begin(); chunk != chunks_.end() && filled < into.size(); ++chunk) {
    into[filled].iov_base = const_cast<char*>(chunk->data() + offset);
    into[filled].iov_len = chunk->size() - offset;
    ++filled;
    offset = 0;
  }
  return filled;
}

void OutputQueue::consume(std::size_t bytes) {
  assert(bytes <= queued_bytes_);
  queued_bytes_ -= bytes;
  while (bytes > 0) {
    const std::size_t left_in_front = chunks_.front().size() - front_offset_;
    if (bytes < left_in_front) {
      front_offset_ += bytes;
      return;
    }
    bytes -= left_in_front;
    chunks_.pop_front();
    front_offset_ = 0;
  }
}

void OutputQueue::clear() {
  chunks_.clear();
  front_offset_ = 0;
  queued_bytes_ = 0;
}

}  // namespace chatroom
