// Keeps the service manager informed about chatroomd: READY=1 once clients can connect, a
// STATUS= line with the client count (at most once a second, only when it changed),
// STOPPING=1 when shutdown begins, and watchdog keep-alives from the loop's own timer, so a
// wedged loop is noticed. Schedules nothing when no service manager is listening, so an idle
// daemon stays fully idle.
#pragma once

#include <optional>
#include <string>

#include "reactor/reactor.hpp"
#include "server/chat_server.hpp"
#include "service/service_notifier.hpp"

namespace chatroom {

class ServiceReporter {
 public:
  ServiceReporter(Reactor& reactor, const ChatServer& server, ServiceNotifier& notifier);
  ~ServiceReporter();
  ServiceReporter(const ServiceReporter&) = delete;
  ServiceReporter& operator=(const ServiceReporter&) = delete;

  void ready();
  void stopping();

 private:
  void report_status();
  void keep_alive(Duration interval);

  Reactor& reactor_;
  const ChatServer& server_;
  ServiceNotifier& notifier_;
  std::string last_status_;
  std::optional<TimerId> status_timer_;
  std::optional<TimerId> watchdog_timer_;
  bool stopping_ = false;
};

}  // namespace chatroom
