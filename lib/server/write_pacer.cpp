// The rest after a round of one-line writes.
#include "server/write_pacer.hpp"

#include <algorithm>
#include <chrono>

namespace chatroom {

TimePoint WritePacer::next_round_at(TimePoint previous_ended, TimePoint started, TimePoint ended,
                                    std::size_t writes, std::size_t messages) const {
  if (max_duty_ >= 1.0 || writes < kPacedFromWrites || messages >= kBatchedMessagesPerWrite * writes) return ended;
  const auto busy = std::chrono::duration<double>(ended - started);
  // busy = max_duty * (time from the previous round's end to the next round's start)
  return std::max(ended, previous_ended + std::chrono::round<Duration>(busy / max_duty_));
}

}  // namespace chatroom
