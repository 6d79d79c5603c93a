// Delivers signals as ordinary reactor events through a signalfd, so a handler may do anything
// the loop may do instead of only async-signal-safe calls.
#pragma once

#include <functional>
#include <initializer_list>

#include <signal.h>

#include "net/unique_fd.hpp"
#include "reactor/reactor.hpp"

namespace chatroom {

class SignalWatcher final : private IoHandler {
 public:
  // Blocks `signals` for the calling thread (they then queue on the signalfd instead of
  // interrupting the process), and ignores SIGPIPE for good measure.
  SignalWatcher(Reactor& reactor, std::initializer_list<int> signals, std::function<void(int)> on_signal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void handle_io(IoEvents events) override;

  Reactor& reactor_;
  sigset_t signals_{};
  sigset_t previous_mask_{};
  UniqueFd fd_;
  WatchId watch_;
  std::function<void(int)> on_signal_;
};

}  // namespace chatroom
