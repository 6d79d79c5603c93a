// Flood control for one client: a token bucket that refills at a steady rate up to a burst.
#pragma once

#include <cstddef>

#include "reactor/clock.hpp"

namespace chatroom {

class TokenBucket {
 public:
  // rate_per_second <= 0 means unlimited.
  TokenBucket(double rate_per_second, std::size_t burst);

  // Takes one token if there is one.
  bool try_take(TimePoint now);
  // Whether the bucket holds its whole burst at `now` (always, when unlimited).
  [[nodiscard]] bool full_at(TimePoint now) const;

 private:
  double rate_per_second_;
  double burst_;
  double tokens_;
  TimePoint last_refill_{};
  bool started_ = false;
};

}  // namespace chatroom
