// Why a connection ended; logged, and counted in the shutdown summary.
#pragma once

#include <string_view>

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
};

[[nodiscard]] std::string_view describe(CloseReason reason);

}  // namespace chatroom
