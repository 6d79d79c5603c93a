#include "reactor/timer_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace chatroom {
namespace {

using namespace std::chrono_literals;

TEST(TimerQueue, DueTimersFireInDeadlineOrder) {
  TimerQueue timers;
  std::vector<int> fired;
  const TimePoint start{};
  timers.add(start + 30ms, [&] { fired.push_back(3); });
  timers.add(start + 10ms, [&] { fired.push_back(1); });
  timers.add(start + 20ms, [&] { fired.push_back(2); });
  timers.fire_due(start + 20ms);
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
  EXPECT_EQ(timers.earliest_deadline(), start + 30ms);
}

TEST(TimerQueue, CancelledTimerNeverFires) {
  TimerQueue timers;
  bool fired = false;
  const TimerId id = timers.add(TimePoint{} + 1ms, [&] { fired = true; });
  timers.cancel(id);
  timers.cancel(id);
  timers.fire_due(TimePoint{} + 1s);
  EXPECT_FALSE(fired);
  EXPECT_TRUE(timers.empty());
}

TEST(TimerQueue, CallbackMayAddAndCancelTimers) {
  TimerQueue timers;
  std::vector<int> fired;
  TimerId doomed = 0;
  timers.add(TimePoint{} + 1ms, [&] {
    fired.push_back(1);
    timers.cancel(doomed);
    timers.add(TimePoint{} + 2ms, [&] { fired.push_back(3); });
  });
  doomed = timers.add(TimePoint{} + 2ms, [&] { fired.push_back(2); });
  timers.fire_due(TimePoint{} + 5ms);
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
}

}  // namespace
}  // namespace chatroom
