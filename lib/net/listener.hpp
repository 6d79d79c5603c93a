// A non-blocking listening TCP socket and the accept4() loop's single step.
#pragma once

#include <optional>

#include "net/socket_address.hpp"
#include "net/unique_fd.hpp"

namespace chatroom {

struct AcceptedSocket {
  UniqueFd fd;
  SocketAddress peer;
};

struct AcceptResult {
  enum class Kind {
    Accepted,
    NothingPending,
    // Out of descriptors: the connection at the head of the backlog was accepted and closed
    // at once, so the backlog still drains.
    RefusedOutOfDescriptors,
    Failed,  // `error` says why; includes running out of descriptors with no reserve left
  };
  Kind kind = Kind::Failed;
  std::optional<AcceptedSocket> socket;
  int error = 0;
};

class Listener {
 public:
  // Binds and listens; throws std::system_error naming the address when that fails. With
  // `reuse_port` (SO_REUSEPORT), several processes listen on one port and the kernel spreads
  // the connections among them.
  Listener(const SocketAddress& address, int backlog, bool reuse_port = false);
  // Adopts a socket that is already listening (socket activation) and makes it non-blocking.
  explicit Listener(UniqueFd listening_socket);

  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] const SocketAddress& address() const { return address_; }

  // One accept4(). Running out of descriptors (EMFILE, ENFILE) is survived by briefly
  // releasing a reserved descriptor to accept and close the connection at the head of the
  // backlog: otherwise it would stay queued, and an edge-triggered listener would never be
  // told about it again. (accept4 reports EMFILE even with an empty backlog, so that case
  // must end in NothingPending, not a retry.)
  AcceptResult accept_one();

 private:
  UniqueFd fd_;
  SocketAddress address_;
  UniqueFd reserve_fd_;
};

}  // namespace chatroom
