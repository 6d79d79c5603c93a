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

Listener::Listener(const SocketAddress& address, int backlog, bool reuse_port) : reserve_fd_(open_reserve_fd()) {
  fd_ = UniqueFd(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_) throw std::system_error(errno, std::generic_category(), "socket");
  const int on = 1;
  // Lets a restarted daemon bind while connections of the previous one sit in TIME_WAIT.
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (reuse_port && ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0) {
    throw std::system_error(errno, std::generic_category(), "SO_REUSEPORT");
  }
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

AcceptResult Listener::accept_one() {
  AcceptResult result;
  for (;;) {
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    const int fd = ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      result.kind = AcceptResult::Kind::Accepted;
      result.socket = AcceptedSocket{UniqueFd(fd), SocketAddress(reinterpret_cast<sockaddr*>(&peer), length)};
      return result;
    }
    const int err = errno;
    if (err == EINTR || err == ECONNABORTED) continue;
    result.error = err;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      result.kind = AcceptResult::Kind::NothingPending;
      return result;
    }
    if ((err == EMFILE || err == ENFILE) && reserve_fd_) {
      reserve_fd_.reset();
      UniqueFd refused(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      const int refuse_error = errno;
      const bool refused_one = refused.valid();
      refused.reset();
      reserve_fd_ = open_reserve_fd();
      if (refused_one) {
        result.kind = AcceptResult::Kind::RefusedOutOfDescriptors;
      } else if (refuse_error == EAGAIN || refuse_error == EWOULDBLOCK) {
        result.kind = AcceptResult::Kind::NothingPending;
      } else {
        result.kind = AcceptResult::Kind::Failed;
      }
      return result;
    }
    result.kind = AcceptResult::Kind::Failed;
    return result;
  }
}

}  // namespace chatroom
