// Deadline-ordered storage of one-shot timers.
#include "reactor/timer_queue.hpp"

namespace chatroom {

TimerId TimerQueue::add(TimePoint deadline, std::function<void()> callback) {
  const TimerId id = next_id_++;
  timers_.emplace(Key{deadline, id}, std::move(callback));
  deadlines_.emplace(id, deadline);
  return id;
}

void TimerQueue::cancel(TimerId id) {
  const auto found = deadlines_.find(id);
  if (found == deadlines_.end()) return;
  timers_.erase(Key{found->second, id});
  deadlines_.erase(found);
}

std::optional<TimePoint> TimerQueue::earliest_deadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

void TimerQueue::fire_due(TimePoint now) {
  while (!timers_.empty() && timers_.begin()->first.first <= now) {
    auto node = timers_.extract(timers_.begin());
    deadlines_.erase(node.key().second);
    node.mapped()();
  }
}

}  // namespace chatroom
