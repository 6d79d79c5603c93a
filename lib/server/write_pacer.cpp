// The rest after a round of one-line writes.
#include "server/write_pacer.hpp"

#include <chrono>

namespace chatroom {

TimePoint WritePacer::next_round_at(TimePoint started, TimePoint ended, std::size_t writes,
                                    std::size_t messages) const {
  if (max_duty_ >= 1.0 || writes < kPacedFromWrites || messages >= kBatchedMessagesPerWrite * writes) return ended;
  const auto busy = std::chrono::duration<double>(ended - started);
  // busy / (busy + rest) = max_duty
  return ended + std::chrono::round<Duration>(busy * (1.0 / max_duty_ - 1.0));
}

}  // namespace chatroom
