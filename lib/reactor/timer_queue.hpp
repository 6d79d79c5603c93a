// One-shot timers ordered by deadline; the reactor sleeps until the earliest one.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "reactor/clock.hpp"

namespace chatroom {

using TimerId = std::uint64_t;

class TimerQueue {
 public:
  TimerId add(TimePoint deadline, std::function<void()> callback);
  // Cancelling a timer that already fired or never existed is harmless.
  void cancel(TimerId id);

  [[nodiscard]] std::optional<TimePoint> earliest_deadline() const;
  [[nodiscard]] bool empty() const { return timers_.empty(); }

  // Fires, in deadline order, every timer due at `now`; a callback may add or cancel timers.
  void fire_due(TimePoint now);

 private:
  using Key = std::pair<TimePoint, TimerId>;
  std::map<Key, std::function<void()>> timers_;
  std::unordered_map<TimerId, TimePoint> deadlines_;
  TimerId next_id_ = 1;
};

}  // namespace chatroom
