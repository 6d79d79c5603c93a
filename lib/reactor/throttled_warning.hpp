// A warning that may recur many times a second (refused connections under a storm) but is
// logged at most once per interval, with a count of what was held back.
#pragma once

#include <cstdint>

#include "reactor/clock.hpp"

namespace chatroom {

class ThrottledWarning {
 public:
  explicit ThrottledWarning(Duration interval) : interval_(interval) {}

  // True when this occurrence should be logged; `suppressed()` then tells how many were not
  // since the last one that was.
  bool should_log(TimePoint now);
  [[nodiscard]] std::uint64_t suppressed() const { return suppressed_reported_; }

 private:
  Duration interval_;
  bool logged_once_ = false;
  TimePoint last_logged_{};
  std::uint64_t suppressed_ = 0;
  std::uint64_t suppressed_reported_ = 0;
};

}  // namespace chatroom
