// Why a connection ended; logged, and counted in the shutdown summary.
#pragma once

#include <string_view>

#include "transport/transport.hpp"

namespace chatroom {

enum class CloseReason {
  ClientLeft,           // sent "\close"
  PeerClosed,           // EOF: the client closed or half-closed its side
  ReadFailed,           // e.g. ECONNRESET
  WriteFailed,          // e.g. EPIPE
  OutputLimitExceeded,  // a slow consumer: past the hard limit
  SoftOutputLimitExceeded,  // a slow consumer: above the soft limit for too long
  TotalOutputLimitExceeded,  // the largest backlog when all clients' output passed its cap
  LineTimeout,          // held an unterminated line past --line-timeout
  IdleTimeout,          // sent nothing for --idle-timeout
  Flooding,             // kept sending past --rate-limit
  Kicked,               // \kick on the admin console
  ServerShutdown,       // flushed and closed by a graceful shutdown
  ShutdownTimedOut,     // still had output queued when the shutdown deadline passed
  WrongProtocol,        // spoke TLS to the plain port
  WrongPassword,        // sent a wrong "\pass"
  ProtocolError,        // broke the WebSocket protocol (invalid UTF-8, a frame too big, ...)
  NoPong,               // a WebSocket client that answered no ping for a keep-alive period
};

[[nodiscard]] std::string_view describe(CloseReason reason);

// The close code and reason a WebSocket client is given: `notice`, the line the client was
// sent about it, if any ("! kicked: spam (by the server)"), else the description.
[[nodiscard]] Farewell farewell_for(CloseReason reason, std::string_view notice);

}  // namespace chatroom
