// How busy the loop is, for /metrics: turns so far, and the longest turn's work (the wait in
// epoll_wait excluded) over the last half minute to minute: a window, so one slow turn at
// start-up does not stand for ever, and two of them, so the figure never drops to nothing
// just because a window began.
#pragma once

#include <algorithm>
#include <cstdint>

#include "reactor/clock.hpp"

namespace chatroom {

class LoopLoad {
 public:
  static constexpr Duration kWindow = std::chrono::seconds(30);

  void record_turn(TimePoint started, TimePoint finished) {
    ++turns_;
    if (finished - window_started_ >= kWindow) {
      previous_window_ = finished - window_started_ >= 2 * kWindow ? Duration{} : current_window_;
      current_window_ = Duration{};
      window_started_ = finished;
    }
    current_window_ = std::max(current_window_, finished - started);
  }

  [[nodiscard]] std::uint64_t turns() const { return turns_; }
  // The longest turn that ended in the last one to two windows.
  [[nodiscard]] Duration busiest_recent_turn() const { return std::max(previous_window_, current_window_); }

 private:
  std::uint64_t turns_ = 0;
  TimePoint window_started_{};
  Duration current_window_{};
  Duration previous_window_{};
};

}  // namespace chatroom
