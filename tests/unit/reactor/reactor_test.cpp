#include "reactor/reactor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>

#include "net/unique_fd.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

struct CallbackHandler final : IoHandler {
  std::function<void(IoEvents)> callback;
  int calls = 0;
  void handle_io(IoEvents events) override {
    ++calls;
    if (callback) callback(events);
  }
};

struct SocketPair {
  UniqueFd left;
  UniqueFd right;
  SocketPair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    left = UniqueFd(fds[0]);
    right = UniqueFd(fds[1]);
  }
};

struct CountingHook final : TurnHook {
  int turns = 0;
  bool pending = false;
  void end_of_turn() override { ++turns; }
  [[nodiscard]] bool has_pending_work() const override { return pending; }
};

TEST(Reactor, ReadableDescriptorIsDispatchedToItsHandler) {
  const SteadyClock clock;
  Reactor reactor(clock);
  SocketPair pair;
  CallbackHandler handler;
  bool readable = false;
  handler.callback = [&](IoEvents events) { readable = readable || events.readable; };
  reactor.watch(pair.left.get(), WatchMode::EdgeTriggered, handler);
  ASSERT_EQ(::write(pair.right.get(), "x", 1), 1);
  reactor.run_once(1s);
  EXPECT_TRUE(readable);
}

TEST(Reactor, EventForDescriptorUnwatchedEarlierInTheBatchIsDropped) {
  const SteadyClock clock;
  Reactor reactor(clock);
  SocketPair first;
  SocketPair second;
  CallbackHandler first_handler;
  CallbackHandler second_handler;
  WatchId first_watch;
  WatchId second_watch;
  // Whichever handler runs first unwatches the other, as closing a connection would.
  first_handler.callback = [&](IoEvents) { reactor.unwatch(second_watch); };
  second_handler.callback = [&](IoEvents) { reactor.unwatch(first_watch); };
  first_watch = reactor.watch(first.left.get(), WatchMode::EdgeTriggered, first_handler);
  second_watch = reactor.watch(second.left.get(), WatchMode::EdgeTriggered, second_handler);
  reactor.run_once(1s);  // both are writable at once, so both events are in one batch
  EXPECT_EQ(first_handler.calls + second_handler.calls, 1);
}

TEST(Reactor, TimersFireFromTheLoopWithoutEvents) {
  const SteadyClock clock;
  Reactor reactor(clock);
  bool fired = false;
  reactor.run_after(20ms, [&] {
    fired = true;
    reactor.stop();
  });
  const auto start = std::chrono::steady_clock::now();
  reactor.run();
  EXPECT_TRUE(fired);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
}

TEST(Reactor, ManualClockDrivesTimersWithoutSleeping) {
  ManualClock clock;
  Reactor reactor(clock);
  int fired = 0;
  reactor.run_after(5s, [&] { ++fired; });
  reactor.run_once(0ms);
  EXPECT_EQ(fired, 0);
  clock.advance(5s);
  reactor.run_once(0ms);
  EXPECT_EQ(fired, 1);
}

TEST(Reactor, TurnHookRunsEveryTurnAndPendingWorkPreventsSleeping) {
  const SteadyClock clock;
  Reactor reactor(clock);
  CountingHook hook;
  reactor.add_turn_hook(hook, TurnPhase::Clients);
  hook.pending = true;
  const auto start = std::chrono::steady_clock::now();
  reactor.run_once(10s);  // would sleep 10 s without pending work
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(hook.turns, 1);
}

// Records the order in which the hooks of a turn ran.
struct NamedHook final : TurnHook {
  NamedHook(std::string hook_name, std::vector<std::string>& hook_log) : name(std::move(hook_name)), log(hook_log) {}
  void end_of_turn() override { log.push_back(name); }
  [[nodiscard]] bool has_pending_work() const override { return false; }
  std::string name;
  std::vector<std::string>& log;
};

TEST(Reactor, TurnHooksRunByPhaseThenInTheOrderAddedWhateverOrderThePhasesWereAddedIn) {
  const SteadyClock clock;
  Reactor reactor(clock);
  std::vector<std::string> ran;
  NamedHook cleanup("cleanup", ran);
  NamedHook server("server", ran);
  NamedHook client("client", ran);
  NamedHook bus("bus", ran);
  reactor.add_turn_hook(cleanup, TurnPhase::Cleanup);
  reactor.add_turn_hook(server, TurnPhase::Clients);
  reactor.add_turn_hook(client, TurnPhase::Clients);
  reactor.add_turn_hook(bus, TurnPhase::OutputToPeers);  // added last, runs first
  reactor.run_once(std::chrono::milliseconds(0));
  EXPECT_EQ(ran, (std::vector<std::string>{"bus", "server", "client", "cleanup"}));
  reactor.remove_turn_hook(server);
  ran.clear();
  reactor.run_once(std::chrono::milliseconds(0));
  EXPECT_EQ(ran, (std::vector<std::string>{"bus", "client", "cleanup"}));
}

TEST(Reactor, LevelTriggeredWatchWakesOnlyForTheDirectionsAskedForAndKeepsWaking) {
  const SteadyClock clock;
  Reactor reactor(clock);
  SocketPair pair;
  CallbackHandler handler;
  IoEvents last;
  handler.callback = [&](IoEvents events) { last = events; };
  const WatchId id = reactor.watch(pair.left.get(), WatchMode::LevelTriggered, handler);
  ASSERT_EQ(::write(pair.right.get(), "x", 1), 1);
  reactor.run_once(0ms);
  EXPECT_EQ(handler.calls, 0) << "no interest yet, though readable and writable";

  reactor.set_interest(id, Interest{.read = true, .write = false});
  reactor.run_once(0ms);
  reactor.run_once(0ms);
  EXPECT_EQ(handler.calls, 2) << "level-triggered: unread data wakes every turn";
  EXPECT_TRUE(last.readable);
  EXPECT_FALSE(last.writable);

  reactor.set_interest(id, Interest{.read = false, .write = true});
  reactor.run_once(0ms);
  EXPECT_EQ(handler.calls, 3);
  EXPECT_TRUE(last.writable);
  EXPECT_FALSE(last.readable);
}

TEST(Reactor, WatchingARegularFileIsRefused) {
  const SteadyClock clock;
  Reactor reactor(clock);
  CallbackHandler handler;
  FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EXPECT_THROW(reactor.watch(fileno(file), WatchMode::LevelTriggeredRead, handler), std::system_error);
  std::fclose(file);
}

}  // namespace
}  // namespace chatroom
