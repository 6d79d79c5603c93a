// signalfd set-up and draining.
#include "reactor/signal_watcher.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace chatroom {

SignalWatcher::SignalWatcher(Reactor& reactor, std::initializer_list<int> signals,
                             std::function<void(int)> on_signal)
    : reactor_(reactor), on_signal_(std::move(on_signal)) {
  ::signal(SIGPIPE, SIG_IGN);
  sigemptyset(&signals_);
  for (const int signo : signals) sigaddset(&signals_, signo);
  if (::sigprocmask(SIG_BLOCK, &signals_, &previous_mask_) != 0) {
    throw std::system_error(errno, std::generic_category(), "sigprocmask");
  }
  fd_ = UniqueFd(::signalfd(-1, &signals_, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd_) throw std::system_error(errno, std::generic_category(), "signalfd");
  watch_ = reactor_.watch(fd_.get(), WatchMode::EdgeTriggered, *this);
}

SignalWatcher::~SignalWatcher() {
  reactor_.unwatch(watch_);
  ::sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void SignalWatcher::handle_io(IoEvents events) {
  if (!events.readable) return;
  // Edge-triggered: drain every queued signal now, the kernel will not announce them again.
  for (;;) {
    signalfd_siginfo info{};
    const ssize_t n = ::read(fd_.get(), &info, sizeof(info));
    if (n != static_cast<ssize_t>(sizeof(info))) {
      if (n < 0 && errno == EINTR) continue;
      return;
    }
    on_signal_(static_cast<int>(info.ssi_signo));
  }
}

}  // namespace chatroom
