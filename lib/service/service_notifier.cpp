// sd_notify calls, compiled out when chatroom is built with -Dsystemd=disabled.
#include "service/service_notifier.hpp"

#include <cstdlib>

#include "service/systemd_support.hpp"

#if CHATROOM_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace chatroom {

#if CHATROOM_HAVE_SYSTEMD

bool ServiceNotifier::enabled() const { return std::getenv("NOTIFY_SOCKET") != nullptr; }

void ServiceNotifier::ready() { ::sd_notify(0, "READY=1"); }

void ServiceNotifier::status(const std::string& text) { ::sd_notify(0, ("STATUS=" + text).c_str()); }

void ServiceNotifier::stopping() { ::sd_notify(0, "STOPPING=1"); }

void ServiceNotifier::watchdog_alive() { ::sd_notify(0, "WATCHDOG=1"); }

std::optional<std::chrono::microseconds> ServiceNotifier::watchdog_interval() const {
  std::uint64_t usec = 0;
  if (::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

#else

bool ServiceNotifier::enabled() const { return false; }
void ServiceNotifier::ready() {}
void ServiceNotifier::status(const std::string&) {}
void ServiceNotifier::stopping() {}
void ServiceNotifier::watchdog_alive() {}
std::optional<std::chrono::microseconds> ServiceNotifier::watchdog_interval() const { return std::nullopt; }

#endif

}  // namespace chatroom
