// setsockopt for accepted clients.
#include "net/socket_options.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace chatroom {

void apply_client_socket_options(int fd, const ClientSocketOptions& options) {
  const int one = 1;
  // We already batch a turn's messages into one write; Nagle would only add latency.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  // Keepalive finds peers that vanished without a FIN while we have nothing to send them;
  // TCP_USER_TIMEOUT bounds how long unacknowledged output may linger when we do.
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
  const int idle_s = 60;
  const int interval_s = 10;
  const int probes = 6;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof(idle_s));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof(interval_s));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof(probes));
  if (options.tcp_user_timeout.count() > 0) {
    const auto timeout_ms = static_cast<unsigned>(options.tcp_user_timeout.count());
    ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &timeout_ms, sizeof(timeout_ms));
  }
}

}  // namespace chatroom
