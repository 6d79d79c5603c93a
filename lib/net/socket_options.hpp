// The options every accepted client socket gets, whatever protocol it will speak.
#pragma once

#include <chrono>

namespace chatroom {

struct ClientSocketOptions {
  // TCP_USER_TIMEOUT: how long written data may stay unacknowledged before the kernel gives up
  // on a vanished peer; zero keeps the kernel's default (many minutes).
  std::chrono::milliseconds tcp_user_timeout{60'000};
};

// TCP_NODELAY, keepalive probes (60 s idle, every 10 s, 6 of them) and TCP_USER_TIMEOUT.
// Best effort: a socket that refuses an option works without it.
void apply_client_socket_options(int fd, const ClientSocketOptions& options);

}  // namespace chatroom
