// Human-readable close reasons for the log.
#include "server/close_reason.hpp"

namespace chatroom {

std::string_view describe(CloseReason reason) {
  switch (reason) {
    case CloseReason::ClientLeft:
      return "left with \\close";
    case CloseReason::PeerClosed:
      return "closed the connection";
    case CloseReason::ReadFailed:
      return "read failed";
    case CloseReason::WriteFailed:
      return "write failed";
    case CloseReason::OutputLimitExceeded:
      return "cut off as a slow consumer";
    case CloseReason::SoftOutputLimitExceeded:
      return "cut off as a slow consumer (soft limit)";
    case CloseReason::TotalOutputLimitExceeded:
      return "cut off as a slow consumer (total output limit)";
    case CloseReason::IdleTimeout:
      return "cut off: idle";
    case CloseReason::Kicked:
      return "kicked";
    case CloseReason::Flooding:
      return "cut off for flooding";
    case CloseReason::LineTimeout:
      return "cut off: no newline within the line timeout";
    case CloseReason::ServerShutdown:
      return "closed by shutdown";
    case CloseReason::ShutdownTimedOut:
      return "closed when the shutdown deadline passed";
    case CloseReason::WrongProtocol:
      return "dropped: spoke TLS to the plain port";
    case CloseReason::WrongPassword:
      return "closed: wrong password";
    case CloseReason::ProtocolError:
      return "closed: broke the WebSocket protocol";
    case CloseReason::NoPong:
      return "cut off: answered no WebSocket ping";
  }
  return "closed";
}

Farewell farewell_for(CloseReason reason, std::string_view notice) {
  // RFC 6455 section 7.4.1: 1000 normal, 1001 going away, 1002 protocol error, 1008 policy
  // violation (any of our limits), 1011 an error on our side.
  std::uint16_t code = 1008;
  switch (reason) {
    case CloseReason::ClientLeft:
    case CloseReason::PeerClosed:
      code = 1000;
      break;
    case CloseReason::ServerShutdown:
    case CloseReason::ShutdownTimedOut:
    case CloseReason::IdleTimeout:
    case CloseReason::NoPong:
      code = 1001;
      break;
    case CloseReason::WrongProtocol:
    case CloseReason::ProtocolError:
      code = 1002;
      break;
    case CloseReason::ReadFailed:
    case CloseReason::WriteFailed:
      code = 1011;
      break;
    case CloseReason::OutputLimitExceeded:
    case CloseReason::SoftOutputLimitExceeded:
    case CloseReason::TotalOutputLimitExceeded:
    case CloseReason::LineTimeout:
    case CloseReason::Flooding:
    case CloseReason::Kicked:
    case CloseReason::WrongPassword:
      break;
  }
  if (notice.starts_with("! ")) notice.remove_prefix(2);
  while (!notice.empty() && (notice.back() == '\n' || notice.back() == '\r')) notice.remove_suffix(1);
  return Farewell{code, notice.empty() ? describe(reason) : notice};
}

}  // namespace chatroom
