// Tells the service manager how the daemon is doing (sd_notify): ready, a status line,
// stopping, and watchdog keep-alives. Without systemd support, or outside systemd (no
// NOTIFY_SOCKET), every call does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace chatroom {

class ServiceNotifier {
 public:
  // True when a service manager listens (NOTIFY_SOCKET is set) and support is compiled in.
  [[nodiscard]] bool enabled() const;
  void ready();
  void status(const std::string& text);
  void stopping();
  void watchdog_alive();
  // The interval at which to send watchdog keep-alives: half of WatchdogSec, when the service
  // manager asked for them.
  [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_interval() const;
};

}  // namespace chatroom
