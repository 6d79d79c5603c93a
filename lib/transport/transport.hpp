// How a Connection moves bytes over its socket: in the clear, or through TLS. A transport owns
// the socket; the connection owns the transport, watches its fd, and decides when to call.
#pragma once

#include <cstdint>
#include <span>

#include "buffer/output_queue.hpp"
#include "net/io_result.hpp"

namespace chatroom {

class Transport {
 public:
  virtual ~Transport() = default;

  [[nodiscard]] virtual int fd() const = 0;
  // Reads what the peer sent (decrypted, with TLS). WouldBlock means nothing more can be read
  // until the socket becomes ready, in the direction reading_waits_for_writable() names.
  // Failed with EPROTONOSUPPORT: the peer speaks another protocol (TLS on the plain port).
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

 protected:
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
};

}  // namespace chatroom
