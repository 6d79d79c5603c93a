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
  }
  return "closed";
}

}  // namespace chatroom
