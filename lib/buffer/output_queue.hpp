// A connection's pending output: references to shared chunks, written front to back with
// gathered writes, remembering how much of the front chunk the kernel already took.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>
#include <vector>

#include "buffer/output_tally.hpp"
#include "buffer/shared_bytes.hpp"

namespace chatroom {

class OutputQueue {
 public:
  OutputQueue() = default;
  ~OutputQueue() { clear(); }
  OutputQueue(const OutputQueue&) = delete;
  OutputQueue& operator=(const OutputQueue&) = delete;

  // Keeps `tally` (which must outlive this queue) told of every byte queued and let go.
  void count_in(OutputTally& tally);

  void push(SharedBytes chunk);

  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] std::size_t queued_bytes() const { return queued_bytes_; }
  [[nodiscard]] std::size_t chunk_count() const { return count_; }
  // The messages the queued chunks carry (SharedBytes::messages), a chunk cut short included.
  [[nodiscard]] std::size_t queued_messages() const { return queued_messages_; }

  // Chunks shorter than this are copied into the staging buffer for a write (see gather).
  static constexpr std::size_t kStagedBelowBytes = 1024;

  // Describes the unsent bytes, oldest first, in at most `into.size()` iovecs; returns how many
  // were filled. Runs of chunks shorter than kStagedBelowBytes are copied into `staging`, one
  // run to an iovec, as far as it has room: the kernel pays a fixed cost per iovec segment it
  // copies from, far more than copying 70 bytes costs here. Longer chunks are described where
  // they are. With no staging every chunk is described where it is.
  std::size_t gather(std::span<iovec> into, std::span<char> staging = {}) const;
  // Copies the unsent bytes, oldest first, into `into` as far as it has room; returns how many.
  // For writers that need one contiguous buffer (a TLS record).
  std::size_t copy_front(std::span<char> into) const;
  // Forgets `bytes` from the front, as reported sent by the kernel.
  void consume(std::size_t bytes);
  void clear();

 private:
  [[nodiscard]] const SharedBytes& at(std::size_t position) const {
    return ring_[(head_ + position) & (ring_.size() - 1)];
  }
  void grow();

  // A ring of chunk references with a power-of-two capacity. Unlike std::deque it allocates
  // nothing until used and lets go of its memory once drained, so the tens of thousands of
  // idle connections cost no queue memory.
  std::vector<SharedBytes> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t front_offset_ = 0;
  std::size_t queued_bytes_ = 0;
  std::size_t queued_messages_ = 0;
  OutputTally* tally_ = nullptr;
};

}  // namespace chatroom
