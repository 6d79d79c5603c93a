// A chat client's connection: its stream's events, passed on with the connection, and what
// it is told when cut off.
#include "server/connection.hpp"

#include <string>

#include "protocol/wire_format.hpp"
#include "server/close_reasons.hpp"

namespace chatroom {

Connection::Connection(ConnectionId id, std::unique_ptr<Transport> transport, std::string address, Reactor& reactor,
                       ConnectionEvents& events, const ServerLimits& limits, ScratchBuffers& scratch,
                       const Wording& wording)
    : Participant(std::move(address)),
      id_(id),
      events_(events),
      limits_(limits),
      wording_(wording),
      flood_control_(limits.rate_limit_lines_per_s, limits.rate_burst_lines, limits.flood_disconnect_lines),
      stream_(std::move(transport), reactor, *this, limits, scratch) {}

std::string Connection::notice_for(CloseReason reason, std::string_view detail) const {
  switch (reason) {
    case CloseReason::OutputLimitExceeded:
    case CloseReason::SoftOutputLimitExceeded:
    case CloseReason::TotalOutputLimitExceeded:
      return slow_consumer_notice(queued_output_bytes());
    case CloseReason::LineTimeout:
      return line_timeout_notice(limits_.line_timeout);
    case CloseReason::IdleTimeout:
      return idle_timeout_notice(limits_.idle_timeout);
    case CloseReason::Flooding:
      return flooding_notice(flood_control_.drops_in_episode(), limits_.rate_limit_lines_per_s);
    case CloseReason::NoIrcPong:
      return "ping timeout: no answer within " + std::string(detail);
    case CloseReason::RegistrationTimeout:
      return "registration timed out: not registered within " + std::string(detail);
    case CloseReason::Kicked:
      return (detail.empty() ? std::string("kicked") : std::string(detail)) + " (by the server)";
    default:
      return {};
  }
}

void Connection::cut_off(CloseReason reason, std::string_view detail) {
  const std::string notice = notice_for(reason, detail);
  if (notice.empty()) {
    stream_.close(reason, {}, detail);
  } else {
    stream_.cut_off(reason, wording_.last_words(notice), detail);
  }
}

Farewell Connection::farewell_for(CloseReason reason, std::string_view notice) const {
  return chatroom::farewell_for(reason, notice);
}

void Connection::on_closed(CloseReason reason, std::string_view detail) {
  // No line is addressed to it any more, though it leaves its room only at the turn's end.
  mark_gone();
  events_.on_closed(*this, reason, detail);
}

}  // namespace chatroom
