// How a Connection moves bytes over its socket: in the clear, or through TLS. A transport owns
// the socket; the connection owns the transport, watches its fd, and decides when to call.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "buffer/output_queue.hpp"
#include "net/io_result.hpp"

namespace chatroom {

// Why our side ends the stream, for protocols that can say so before it ends (a WebSocket close
// frame). The codes are RFC 6455's, general enough for any such protocol.
struct Farewell {
  std::uint16_t code = 1000;
  std::string_view reason;
};

// Whether the peer showed signs of life since the last probe (see probe_liveness).
enum class Liveness { Unsupported, Alive, Silent };

class Transport {
 public:
  virtual ~Transport() = default;

  [[nodiscard]] virtual int fd() const = 0;
  // Reads what the peer sent (decrypted, with TLS). WouldBlock means nothing more can be read
  // until the socket becomes ready, in the direction reading_waits_for_writable() names.
  // Failed with an IoFailure other than System: the peer broke the protocol (or spoke another).
  virtual IoResult receive(std::span<char> into) = 0;
  // Writes from the front of `output` without consuming it; Transferred counts bytes of
  // `output` now sent. `staging` is scratch memory the transport may copy through.
  virtual IoResult send(const OutputQueue& output, std::span<char> staging) = 0;
  // Ends our direction of the stream (a TLS close_notify first), best effort, never blocking.
  virtual void shut_down_write() = 0;

  // After receive() returned WouldBlock: it waits for the socket to take output (a TLS read
  // that must write first), not for input. Plain sockets always wait for input.
  [[nodiscard]] virtual bool reading_waits_for_writable() const { return false; }
  // After send() returned WouldBlock: it waits for input (a TLS write that must read first).
  [[nodiscard]] virtual bool writing_waits_for_readable() const { return false; }

  // Bytes the transport itself must send (a WebSocket pong, a handshake response), with the
  // connection's queue empty or not: the connection flushes while this is true, and send()
  // writes them at the first point it may.
  [[nodiscard]] virtual bool has_output_of_its_own() const { return false; }
  // Says why the stream ends, where the protocol can (queued as own output). Called once, just
  // before shut_down_write() when the connection closes.
  virtual void say_farewell(const Farewell& /*farewell*/) {}
  [[nodiscard]] virtual bool has_keepalive() const { return false; }
  // A keep-alive for protocols that have one (WebSocket ping): says whether the peer has sent
  // anything since the previous probe, and queues the next probe as own output.
  virtual Liveness probe_liveness() { return Liveness::Unsupported; }

 protected:
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
};

}  // namespace chatroom
