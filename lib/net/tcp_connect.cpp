// Non-blocking connect with poll() as the deadline.
#include "net/tcp_connect.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "net/socket_address.hpp"

namespace chatroom {
namespace {

// Connects one address; returns the errno of the failure, 0 on success, ETIMEDOUT on timeout.
int try_connect(const SocketAddress& address, std::chrono::milliseconds timeout, UniqueFd& connected) {
  UniqueFd fd(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return errno;
  if (::connect(fd.get(), address.data(), address.size()) != 0) {
    if (errno != EINPROGRESS) return errno;
    pollfd poller{fd.get(), POLLOUT, 0};
    int ready = 0;
    do {
      ready = ::poll(&poller, 1, static_cast<int>(timeout.count()));
    } while (ready < 0 && errno == EINTR);
    if (ready == 0) return ETIMEDOUT;
    int error = 0;
    socklen_t length = sizeof(error);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return error;
  }
  const int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  connected = std::move(fd);
  return 0;
}

}  // namespace

UniqueFd connect_tcp(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) throw ConnectError("unknown host '" + host + "': " + ::gai_strerror(rc));
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);

  std::string failures;
  for (const addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    const SocketAddress address(candidate->ai_addr, candidate->ai_addrlen);
    UniqueFd connected;
    const int error = try_connect(address, timeout, connected);
    if (error == 0) return connected;
    if (!failures.empty()) failures += "; ";
    failures += address.to_string() + ": " +
                (error == ETIMEDOUT ? "timed out after " + std::to_string(timeout.count()) + " ms" : std::strerror(error));
  }
  throw ConnectError("cannot connect to " + failures);
}

}  // namespace chatroom
