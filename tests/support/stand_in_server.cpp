// A listening socket; the accepted connection is spoken over with TestClient.
#include "support/stand_in_server.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <stdexcept>

#include "net/socket_address.hpp"

namespace chatroom::testing {

StandInServer::StandInServer() {
  const SocketAddress address = SocketAddress::parse("127.0.0.1", 0);
  listener_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener_ || ::bind(listener_.get(), address.data(), address.size()) != 0 || ::listen(listener_.get(), 4) != 0) {
    throw std::runtime_error("the stand-in server cannot listen");
  }
  port_ = SocketAddress::local_of(listener_.get()).port();
}

bool StandInServer::accept_client(std::chrono::milliseconds timeout) {
  pollfd poller{listener_.get(), POLLIN, 0};
  if (::poll(&poller, 1, static_cast<int>(timeout.count())) <= 0) return false;
  UniqueFd accepted(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!accepted) return false;
  client_.emplace(std::move(accepted));
  return true;
}

}  // namespace chatroom::testing
