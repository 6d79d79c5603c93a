// How soon the next round of flushes may begin. A loopback write costs a few microseconds of
// kernel time whether it carries one line or ten, so a large room hearing a steady stream of
// short lines, each written on its own, can keep the loop busy all the time on writes of one
// line each. Resting after such a round lets the next lines queue up and leave together: the
// same deliveries for fewer writes, at the price of the rest in latency. Only a loop that is
// saturated rests (time with nothing to write counts as rest taken), and only after a large
// round whose writes carried few messages each.
#pragma once

#include <cstddef>

#include "reactor/clock.hpp"

namespace chatroom {

class WritePacer {
 public:
  // `max_duty`: the largest share of the time that rounds of one-line writes may take; 1 means
  // they may follow one another without a rest.
  explicit WritePacer(double max_duty) : max_duty_(max_duty) {}

  // A round that wrote `writes` connections, `messages` queued messages between them, from
  // `started` to `ended`, the round before it having ended at `previous_ended`: when the next
  // round may begin. The time the loop had nothing to write counts as rest already taken, so
  // a loop that is not saturated is not held back.
  [[nodiscard]] TimePoint next_round_at(TimePoint previous_ended, TimePoint started, TimePoint ended,
                                        std::size_t writes, std::size_t messages) const;

  // Rounds with fewer writes are not followed by a rest: a small room gains too little.
  static constexpr std::size_t kPacedFromWrites = 256;
  // Writes that carry this many messages on average have most of the batching to be had.
  static constexpr std::size_t kBatchedMessagesPerWrite = 4;

 private:
  double max_duty_;
};

}  // namespace chatroom
