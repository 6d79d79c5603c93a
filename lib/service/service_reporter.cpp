// Self-rescheduling timers for status and watchdog reports.
#include "service/service_reporter.hpp"

namespace chatroom {
namespace {

constexpr auto kStatusInterval = std::chrono::seconds(1);

std::string status_text(const ChatServer& server) {
  const std::size_t clients = server.client_count();
  return std::to_string(clients) + (clients == 1 ? " client" : " clients") + " connected, " +
         std::to_string(server.hub().stats().messages) + " lines broadcast";
}

}  // namespace

ServiceReporter::ServiceReporter(Reactor& reactor, const ChatServer& server, ServiceNotifier& notifier)
    : reactor_(reactor), server_(server), notifier_(notifier) {}

ServiceReporter::~ServiceReporter() {
  if (status_timer_) reactor_.cancel_timer(*status_timer_);
  if (watchdog_timer_) reactor_.cancel_timer(*watchdog_timer_);
}

void ServiceReporter::ready() {
  if (!notifier_.enabled() || stopping_) return;
  report_status();
  notifier_.ready();
  if (const auto interval = notifier_.watchdog_interval()) keep_alive(*interval);
}

void ServiceReporter::stopping() {
  if (!notifier_.enabled() || stopping_) return;
  stopping_ = true;
  notifier_.stopping();
  notifier_.status("shutting down: " + status_text(server_));
}

void ServiceReporter::report_status() {
  if (!stopping_) {
    std::string status = status_text(server_);
    if (status != last_status_) {
      notifier_.status(status);
      last_status_ = std::move(status);
    }
  }
  status_timer_ = reactor_.run_after(kStatusInterval, [this] { report_status(); });
}

void ServiceReporter::keep_alive(Duration interval) {
  notifier_.watchdog_alive();
  watchdog_timer_ = reactor_.run_after(interval, [this, interval] { keep_alive(interval); });
}

}  // namespace chatroom
