// Bookkeeping of partially written output.
#include "buffer/output_queue.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace chatroom {
namespace {

constexpr std::size_t kInitialRingSlots = 8;
// A drained queue keeps a ring up to this size for the next messages, so a client that gets a
// turn's worth of lines every turn (a busy room) does not grow its ring from 8 slots and
// release it again each time: four allocations and a free per write, 5% of the fan-out's
// CPU at 64 lines a write. 512 bytes at most, kept only by clients that had that many lines
// waiting at once; a ring grown past it by a burst (a slow reader) is released.
constexpr std::size_t kRetainedRingSlots = 64;

}  // namespace

void OutputQueue::grow() {
  std::vector<SharedBytes> larger(ring_.empty() ? kInitialRingSlots : ring_.size() * 2);
  for (std::size_t i = 0; i < count_; ++i) larger[i] = std::move(ring_[(head_ + i) & (ring_.size() - 1)]);
  ring_.swap(larger);
  head_ = 0;
}

void OutputQueue::count_in(OutputTally& tally) {
  if (tally_ != nullptr) tally_->remove(queued_bytes_);
  tally_ = &tally;
  tally_->add(queued_bytes_);
}

void OutputQueue::push(SharedBytes chunk) {
  if (chunk.empty()) return;
  if (count_ == ring_.size()) grow();
  queued_bytes_ += chunk.size();
  queued_messages_ += chunk.messages();
  if (tally_ != nullptr) tally_->add(chunk.size());
  ring_[(head_ + count_) & (ring_.size() - 1)] = std::move(chunk);
  ++count_;
}

std::size_t OutputQueue::gather(std::span<iovec> into, std::span<char> staging) const {
  std::size_t filled = 0;
  std::size_t staged = 0;
  bool last_is_staged = false;  // whether into[filled - 1] ends where the staged bytes end
  std::size_t offset = front_offset_;
  // A lone chunk gains nothing from a copy: it is one segment either way.
  if (count_ == 1) staging = {};
  for (std::size_t i = 0; i < count_; ++i) {
    const SharedBytes& chunk = at(i);
    const char* bytes = chunk.data() + offset;
    const std::size_t length = chunk.size() - offset;
    offset = 0;
    if (length < kStagedBelowBytes) {
      if (staged + length <= staging.size()) {
        if (!last_is_staged) {
          if (filled == into.size()) break;
          into[filled++] = iovec{staging.data() + staged, 0};
          last_is_staged = true;
        }
        std::memcpy(staging.data() + staged, bytes, length);
        staged += length;
        into[filled - 1].iov_len += length;
        continue;
      }
      if (staged > 0) break;  // the staging is full: write what it holds first
    }
    if (filled == into.size()) break;
    into[filled++] = iovec{const_cast<char*>(bytes), length};
    last_is_staged = false;
  }
  return filled;
}

std::size_t OutputQueue::copy_front(std::span<char> into) const {
  std::size_t copied = 0;
  std::size_t offset = front_offset_;
  for (std::size_t i = 0; i < count_ && copied < into.size(); ++i) {
    const SharedBytes& chunk = at(i);
    const std::size_t length = std::min(chunk.size() - offset, into.size() - copied);
    std::memcpy(into.data() + copied, chunk.data() + offset, length);
    copied += length;
    offset = 0;
  }
  return copied;
}

void OutputQueue::consume(std::size_t bytes) {
  assert(bytes <= queued_bytes_);
  queued_bytes_ -= bytes;
  if (tally_ != nullptr) tally_->remove(bytes);
  while (bytes > 0) {
    SharedBytes& front = ring_[head_];
    const std::size_t left_in_front = front.size() - front_offset_;
    if (bytes < left_in_front) {
      front_offset_ += bytes;
      return;
    }
    bytes -= left_in_front;
    queued_messages_ -= front.messages();
    front = SharedBytes();
    head_ = (head_ + 1) & (ring_.size() - 1);
    --count_;
    front_offset_ = 0;
  }
  if (count_ == 0 && ring_.size() > kRetainedRingSlots) clear();
}

void OutputQueue::clear() {
  if (tally_ != nullptr) tally_->remove(queued_bytes_);
  std::vector<SharedBytes>().swap(ring_);
  head_ = 0;
  count_ = 0;
  front_offset_ = 0;
  queued_bytes_ = 0;
  queued_messages_ = 0;
}

}  // namespace chatroom
