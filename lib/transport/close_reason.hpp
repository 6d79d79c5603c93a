// Why a stream ended. The stream itself ends streams for the reasons about bytes (the peer
// closed, a read or write failed, the peer broke its protocol, a limit passed); its owner adds
// the reasons about the chat (\close, a kick, flooding, shutdown). What each one is told,
// logged and counted is the server's table (server/close_reasons.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "net/io_result.hpp"

namespace chatroom {

enum class CloseReason : std::uint8_t {
  ClientLeft,                // sent "\close"
  PeerClosed,                // EOF: the client closed or half-closed its side
  ReadFailed,                // e.g. ECONNRESET
  WriteFailed,               // e.g. EPIPE
  OutputLimitExceeded,       // a slow consumer: past the hard limit
  SoftOutputLimitExceeded,   // a slow consumer: above the soft limit for too long
  TotalOutputLimitExceeded,  // the largest backlog when all clients' output passed its cap
  LineTimeout,               // held an unterminated line past --line-timeout
  IdleTimeout,               // sent nothing for --idle-timeout
  Flooding,                  // kept sending past --rate-limit
  Kicked,                    // \kick on the admin console (or a cluster node's)
  ServerShutdown,            // flushed and closed by a graceful shutdown
  ShutdownTimedOut,          // still had output queued when the shutdown deadline passed
  TlsOnPlainPort,            // spoke TLS to the plain port
  BrokeTls,                  // sent what is not valid TLS
  BrokeWebSocket,            // broke the WebSocket protocol (invalid UTF-8, a frame too big, ...)
  NoPong,                    // a WebSocket client that answered no ping for a keep-alive period
  WrongPassword,             // sent a wrong "\pass"
  NoIrcPong,                 // an IRC client that answered no PING for a ping interval
  RegistrationTimeout,       // an IRC client that did not finish registering in time
};

// How many reasons there are, for tables indexed by them.
inline constexpr std::size_t kCloseReasonCount = static_cast<std::size_t>(CloseReason::RegistrationTimeout) + 1;

// The close a failed read or write means.
[[nodiscard]] constexpr CloseReason close_reason_for(IoFailure failure, bool reading) {
  switch (failure) {
    case IoFailure::TlsOnPlainPort:
      return CloseReason::TlsOnPlainPort;
    case IoFailure::BrokeTls:
      return CloseReason::BrokeTls;
    case IoFailure::BrokeWebSocket:
      return CloseReason::BrokeWebSocket;
    case IoFailure::System:
      break;
  }
  return reading ? CloseReason::ReadFailed : CloseReason::WriteFailed;
}

}  // namespace chatroom
