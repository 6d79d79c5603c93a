// A connection's pending output: references to shared chunks, written front to back with
// gathered writes, remembering how much of the front chunk the kernel already took.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <deque>
#include <span>

#include "buffer/shared_bytes.hpp"

namespace chatroom {

class OutputQueue {
 public:
  void push(SharedBytes chunk);

  [[nodiscard]] bool empty() const { return chunks_.empty(); }
  [[nodiscard]] std::size_t queued_bytes() const { return queued_bytes_; }
  [[nodiscard]] std::size_t chunk_count() const { return chunks_.size(); }

  // Describes the unsent bytes, oldest first, in at most `into.size()` iovecs; returns how many
  // were filled.
  std::size_t gather(std::span<iovec> into) const;
  // Forgets `bytes` from the front, as reported sent by the kernel.
  void consume(std::size_t bytes);
  void clear();

 private:
  std::deque<SharedBytes> chunks_;
  std::size_t front_offset_ = 0;
  std::size_t queued_bytes_ = 0;
};

}  // namespace chatroom
