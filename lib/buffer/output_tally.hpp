// The sum of many output queues, kept current by the queues themselves, so that one limit can
// bound the memory all clients' backlogs take together (--max-total-output).
#pragma once

#include <cassert>
#include <cstddef>

namespace chatroom {

class OutputTally {
 public:
  void add(std::size_t bytes) { bytes_ += bytes; }
  void remove(std::size_t bytes) {
    assert(bytes <= bytes_);
    bytes_ -= bytes;
  }
  // Each queue counts a shared broadcast in full, as the per-client limits do: the figure is
  // what the backlogs would cost unshared, an upper bound on the memory they hold.
  [[nodiscard]] std::size_t bytes() const { return bytes_; }

 private:
  std::size_t bytes_ = 0;
};

}  // namespace chatroom
