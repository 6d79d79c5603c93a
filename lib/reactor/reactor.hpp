// The event loop: one epoll instance, one-shot timers, and end-of-turn hooks, on one thread.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "net/unique_fd.hpp"
#include "reactor/clock.hpp"
#include "reactor/loop_load.hpp"
#include "reactor/io_handler.hpp"
#include "reactor/timer_queue.hpp"

namespace chatroom {

enum class WatchMode {
  // Sockets: registered once for both directions; the handler reads and writes until EAGAIN.
  EdgeTriggered,
  // Descriptors we must not make non-blocking (an inherited terminal): one read per readiness.
  LevelTriggeredRead,
  // Sockets driven by a library that reads or writes once per readiness and says which
  // direction it waits for (hiredis): no interest until set_interest() asks for one.
  LevelTriggered,
};

// Which directions a LevelTriggered watch is woken for.
struct Interest {
  bool read = false;
  bool write = false;
};

// Names a watch; the generation makes an event for a descriptor that was unwatched earlier in
// the same epoll batch recognisable as stale, even if its slot has been reused since.
struct WatchId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
};

// The end of a loop turn, after events and timers and before the loop sleeps again (Redis's
// beforeSleep), runs in these phases, in this order; hooks of one phase run in the order they
// were added. docs/architecture.md, "One loop turn", says what each does and why.
enum class TurnPhase : std::uint8_t {
  // Output for the other nodes of a cluster (the Redis commands a turn queued): it goes
  // before the clients' flush, which at a large fan-out takes milliseconds that the other
  // nodes' members would otherwise wait.
  OutputToPeers,
  // The clients: reads cut short by the read budget, the flush slice, destroying the
  // connections that closed (and the client's input from a regular file, a chunk a turn).
  Clients,
  // Freeing what ended this turn elsewhere (HTTP connections).
  Cleanup,
};

// Work done once per loop turn in its phase. Flushing here lets many broadcasts to one
// client leave in one write.
class TurnHook {
 public:
  virtual void end_of_turn() = 0;
  // True when work is left that no event will announce (edge-triggered reads cut short by a
  // budget), so the next turn must poll instead of sleeping.
  [[nodiscard]] virtual bool has_pending_work() const = 0;
  // When work that no event will announce falls due later (output held back for a while):
  // the loop wakes by then.
  [[nodiscard]] virtual std::optional<TimePoint> work_due_at() const { return std::nullopt; }

 protected:
  ~TurnHook() = default;
};

class Reactor {
 public:
  explicit Reactor(const Clock& clock);
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Throws std::system_error when epoll refuses the descriptor (e.g. EPERM for a regular file).
  WatchId watch(int fd, WatchMode mode, IoHandler& handler);
  // Must be called before the descriptor is closed.
  void unwatch(WatchId id);
  // For a LevelTriggered watch: the directions to be woken for from now on.
  void set_interest(WatchId id, Interest interest);

  TimerId run_after(Duration delay, std::function<void()> callback);
  void cancel_timer(TimerId id);

  // Runs `hook` at the end of every turn, in `phase`. A hook must be removed, or outlive the
  // reactor's use of it.
  void add_turn_hook(TurnHook& hook, TurnPhase phase);
  void remove_turn_hook(TurnHook& hook);

  void run();
  // One turn: wait for events (at most `max_wait`, or until the next timer), dispatch them,
  // fire due timers, run turn hooks. Tests step the loop with this.
  void run_once(std::optional<Duration> max_wait = std::nullopt);
  void stop() { stopped_ = true; }
  [[nodiscard]] bool stopped() const { return stopped_; }

  [[nodiscard]] TimePoint now() const { return clock_.now(); }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  [[nodiscard]] const LoopLoad& load() const { return load_; }

 private:
  struct Slot {
    IoHandler* handler = nullptr;
    int fd = -1;
    std::uint32_t generation = 0;
  };

  [[nodiscard]] int wait_timeout_ms(std::optional<Duration> max_wait) const;
  void dispatch(const epoll_event& event);

  const Clock& clock_;
  UniqueFd epoll_fd_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<epoll_event> events_;
  TimerQueue timers_;
  struct PhasedHook {
    TurnPhase phase;
    TurnHook* hook;
  };
  // Ordered by phase, then by when they were added.
  std::vector<PhasedHook> turn_hooks_;
  LoopLoad load_;
  bool stopped_ = false;
};

}  // namespace chatroom
