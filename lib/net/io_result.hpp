// The outcome of one non-blocking read or write: EAGAIN is an ordinary outcome, not an error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace chatroom {

// Why a read or write failed. The system's failures carry their errno; the others are the
// peer's fault in the protocol a transport speaks, each a different story in the logs, the
// counters and the close. Named here, below the transports, so that one result type serves
// them all.
enum class IoFailure : std::uint8_t {
  System,              // the errno says what (ECONNRESET, EPIPE...)
  TlsOnPlainPort,      // the peer opened with a TLS handshake where plain text was expected
  BrokeTls,            // the peer sent what is not valid TLS
  BrokeWebSocket,      // the peer broke RFC 6455 (its close frame told it which way)
};

struct IoResult {
  enum class Kind { Transferred, WouldBlock, EndOfFile, Failed };

  Kind kind = Kind::Failed;
  std::size_t bytes = 0;  // meaningful for Transferred
  int error = 0;          // errno, meaningful for Failed with IoFailure::System
  IoFailure failure = IoFailure::System;  // meaningful for Failed

  static IoResult transferred(std::size_t n) { return {Kind::Transferred, n, 0, IoFailure::System}; }
  static IoResult would_block() { return {Kind::WouldBlock, 0, 0, IoFailure::System}; }
  static IoResult end_of_file() { return {Kind::EndOfFile, 0, 0, IoFailure::System}; }
  static IoResult failed(int err) { return {Kind::Failed, 0, err, IoFailure::System}; }
  // The peer broke the protocol: `why` is never IoFailure::System.
  static IoResult broken(IoFailure why) { return {Kind::Failed, 0, 0, why}; }

  [[nodiscard]] bool is_transferred() const { return kind == Kind::Transferred; }
  [[nodiscard]] bool is_would_block() const { return kind == Kind::WouldBlock; }
  [[nodiscard]] bool is_end_of_file() const { return kind == Kind::EndOfFile; }
  [[nodiscard]] bool is_failed() const { return kind == Kind::Failed; }
};

}  // namespace chatroom
