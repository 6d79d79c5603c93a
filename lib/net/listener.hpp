// A non-blocking listening TCP socket and the accept4() loop's single step.
#pragma once

#include <optional>

#include "net/io_result.hpp"
#include "net/socket_address.hpp"
#include "net/unique_fd.hpp"

namespace chatroom {

struct AcceptedSocket {
  UniqueFd fd;
  SocketAddress peer;
};

class Listener {
 public:
  // Binds and listens; throws std::system_error naming the address when that fails.
  Listener(const SocketAddress& address, int backlog);
  // Adopts a socket that is already listening (socket activation) and makes it non-blocking.
  explicit Listener(UniqueFd listening_socket);

  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] const SocketAddress& address() const { return address_; }

  // One accept4(); nullopt with `outcome` set when nothing was accepted. Running out of
  // descriptors (EMFILE) is survived by briefly releasing a reserved descriptor to accept and
  // close the connection at the head of the backlog: otherwise it would stay queued, and an
  // edge-triggered listener would never be told about it again.
  std::optional<AcceptedSocket> accept_one(IoResult& outcome);

 private:
  UniqueFd fd_;
  SocketAddress address_;
  UniqueFd reserve_fd_;
};

}  // namespace chatroom
