// Lazy refill: tokens are topped up from the elapsed time whenever one is asked for, so an
// idle client costs no timer.
#include "server/token_bucket.hpp"

#include <algorithm>

namespace chatroom {

TokenBucket::TokenBucket(double rate_per_second, std::size_t burst)
    : rate_per_second_(rate_per_second),
      burst_(static_cast<double>(std::max<std::size_t>(burst, 1))),
      tokens_(burst_) {}

bool TokenBucket::full_at(TimePoint now) const {
  if (rate_per_second_ <= 0 || !started_) return true;
  const double elapsed_s = std::chrono::duration<double>(now - last_refill_).count();
  return tokens_ + elapsed_s * rate_per_second_ >= burst_;
}

bool TokenBucket::try_take(TimePoint now) {
  if (rate_per_second_ <= 0) return true;
  if (started_) {
    const double elapsed_s = std::chrono::duration<double>(now - last_refill_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed_s * rate_per_second_);
  }
  started_ = true;
  last_refill_ = now;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace chatroom
