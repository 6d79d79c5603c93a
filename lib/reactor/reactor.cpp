// epoll dispatch, timer deadlines and the order of one loop turn (see docs/architecture.md).
#include "reactor/reactor.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace chatroom {
namespace {

constexpr std::size_t kEventsPerWait = 1024;

std::uint64_t encode(WatchId id) { return (std::uint64_t{id.generation} << 32) | id.slot; }

WatchId decode(std::uint64_t token) {
  return WatchId{static_cast<std::uint32_t>(token & 0xffffffffU),
                 static_cast<std::uint32_t>(token >> 32)};
}

std::uint32_t epoll_mask(WatchMode mode) {
  switch (mode) {
    case WatchMode::EdgeTriggered:
      return EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    case WatchMode::LevelTriggeredRead:
      return EPOLLIN;
    case WatchMode::LevelTriggered:
      return 0;
  }
  return EPOLLIN;
}

}  // namespace

IoEvents IoEvents::from_epoll(std::uint32_t mask) {
  IoEvents events;
  events.readable = (mask & EPOLLIN) != 0;
  events.writable = (mask & EPOLLOUT) != 0;
  events.peer_hung_up = (mask & (EPOLLRDHUP | EPOLLHUP)) != 0;
  events.error = (mask & EPOLLERR) != 0;
  return events;
}

Reactor::Reactor(const Clock& clock)
    : clock_(clock), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), events_(kEventsPerWait) {
  if (!epoll_fd_) throw std::system_error(errno, std::generic_category(), "epoll_create1");
}

WatchId Reactor::watch(int fd, WatchMode mode, IoHandler& handler) {
  std::uint32_t slot_index = 0;
  if (free_slots_.empty()) {
    slot_index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot_index = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& slot = slots_[slot_index];
  const WatchId id{slot_index, slot.generation};
  epoll_event event{};
  event.events = epoll_mask(mode);
  event.data.u64 = encode(id);
  if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
    const int err = errno;
    free_slots_.push_back(slot_index);
    throw std::system_error(err, std::generic_category(), "epoll_ctl(ADD)");
  }
  slot.handler = &handler;
  slot.fd = fd;
  return id;
}

void Reactor::unwatch(WatchId id) {
  if (id.slot >= slots_.size()) return;
  Slot& slot = slots_[id.slot];
  if (slot.handler == nullptr || slot.generation != id.generation) return;
  ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, slot.fd, nullptr);
  slot.handler = nullptr;
  slot.fd = -1;
  ++slot.generation;
  free_slots_.push_back(id.slot);
}

void Reactor::set_interest(WatchId id, Interest interest) {
  if (id.slot >= slots_.size()) return;
  const Slot& slot = slots_[id.slot];
  if (slot.handler == nullptr || slot.generation != id.generation) return;
  epoll_event event{};
  event.events = (interest.read ? EPOLLIN : 0U) | (interest.write ? EPOLLOUT : 0U);
  event.data.u64 = encode(id);
  if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_MOD, slot.fd, &event) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl(MOD)");
  }
}

TimerId Reactor::run_after(Duration delay, std::function<void()> callback) {
  return timers_.add(clock_.now() + delay, std::move(callback));
}

void Reactor::cancel_timer(TimerId id) { timers_.cancel(id); }

void Reactor::add_turn_hook(TurnHook& hook, TurnPhase phase) {
  const auto after_its_phase = std::find_if(turn_hooks_.begin(), turn_hooks_.end(),
                                            [phase](const PhasedHook& each) { return each.phase > phase; });
  turn_hooks_.insert(after_its_phase, PhasedHook{phase, &hook});
}

void Reactor::remove_turn_hook(TurnHook& hook) {
  std::erase_if(turn_hooks_, [&hook](const PhasedHook& each) { return each.hook == &hook; });
}

void Reactor::run() {
  while (!stopped_) run_once();
}

int Reactor::wait_timeout_ms(std::optional<Duration> max_wait) const {
  for (const PhasedHook& each : turn_hooks_) {
    if (each.hook->has_pending_work()) return 0;
  }
  std::optional<Duration> wait = max_wait;
  const auto wait_until = [&](TimePoint deadline) {
    const Duration until = std::max(Duration::zero(), deadline - clock_.now());
    wait = wait ? std::min(*wait, until) : until;
  };
  if (const auto deadline = timers_.earliest_deadline()) wait_until(*deadline);
  for (const PhasedHook& each : turn_hooks_) {
    if (const auto due = each.hook->work_due_at()) wait_until(*due);
  }
  if (!wait) return -1;
  // Rounded up: waking a millisecond early would only find the timer not yet due and spin.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wait).count();
  return static_cast<int>(std::min<decltype(ms)>(ms, 24 * 3600 * 1000));
}

void Reactor::run_once(std::optional<Duration> max_wait) {
  const int timeout_ms = wait_timeout_ms(max_wait);
  const int ready = ::epoll_wait(epoll_fd_.get(), events_.data(), static_cast<int>(events_.size()), timeout_ms);
  if (ready < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "epoll_wait");
  const TimePoint started = clock_.now();
  for (int i = 0; i < ready; ++i) dispatch(events_[static_cast<std::size_t>(i)]);
  timers_.fire_due(started);
  for (const PhasedHook& each : turn_hooks_) each.hook->end_of_turn();
  load_.record_turn(started, clock_.now());
}

void Reactor::dispatch(const epoll_event& event) {
  const WatchId id = decode(event.data.u64);
  if (id.slot >= slots_.size()) return;
  const Slot& slot = slots_[id.slot];
  if (slot.handler == nullptr || slot.generation != id.generation) return;  // stale
  slot.handler->handle_io(IoEvents::from_epoll(event.events));
}

}  // namespace chatroom
