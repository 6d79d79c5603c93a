// Binding, listening and accepting, with the reserve-descriptor answer to EMFILE.
#include "net/listener.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

#include "net/socket_io.hpp"

namespace chatroom {
namespace {

UniqueFd open_reserve_fd() { return UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); }

}  // namespace

Listener::Listener(const SocketAddress& address, int backlog) : reserve_fd_(open_reserve_fd()) {
  fd_ = UniqueFd(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_) throw std::system_error(errno, std::generic_category(), "socket");
  const int on = 1;
  // Lets a restarted daemon bind while connections of the previous one sit in TIME_WAIT.
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (::bind(fd_.get(), address.data(), address.size()) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot bind " + address.to_string());
  }
  if (::listen(fd_.get(), backlog) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot listen on " + address.to_string());
  }
  address_ = SocketAddress::local_of(fd_.get());
}

Listener::Listener(UniqueFd listening_socket) : fd_(std::move(listening_socket)), reserve_fd_(open_reserve_fd()) {
  set_nonblocking(fd_.get());
  address_ = SocketAddress::local_of(fd_.get());
}

std::optional<AcceptedSocket> Listener::accept_one(IoResult& outcome) {
  for (;;) {
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    const int fd = ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      outcome = IoResult::transferred(1);
      return AcceptedSocket{UniqueFd(fd), SocketAddress(reinterpret_cast<sockaddr*>(&peer), length)};
    }
    const int err = errno;
    if (err == EINTR || err == ECONNABORTED) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      outcome = IoResult::would_block();
      return std::nullopt;
    }
    if ((err == EMFILE || err == ENFILE) && reserve_fd_) {
      reserve_fd_.reset();
      UniqueFd refused(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      refused.reset();
      reserve_fd_ = open_reserve_fd();
    }
    outcome = IoResult::failed(err);
    return std::nullopt;
  }
}

}  // namespace chatroom
