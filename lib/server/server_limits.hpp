// The limits that keep one client from hurting the others, and the server from running out.
#pragma once

#include <chrono>
#include <cstddef>

#include "transport/line_stream.hpp"

namespace chatroom {

// The limits that keep one client from hurting the others: its stream's (line length,
// output, read budget, timers) and the server's own.
struct ServerLimits : StreamLimits {
  // Output queued for all clients together beyond which the largest backlogs are cut off
  // until the total is back under it; zero means no limit.
  std::size_t max_total_output_bytes = std::size_t{1} << 30;
  // Clients at once; one more is told "! server full" and closed. 0 means derived from the
  // descriptor limit at start-up.
  std::size_t max_clients = 0;
  // Clients at once from one IP address; 0 means no limit.
  std::size_t max_per_ip = 0;
  // Flood control: lines per second a client may send, on average, and in a burst; 0 = off.
  double rate_limit_lines_per_s = 20;
  std::size_t rate_burst_lines = 40;
  // Lines dropped in one flood episode (see FloodControl) after which the client is cut off;
  // zero means never.
  std::size_t flood_disconnect_lines = 400;
  // TCP_USER_TIMEOUT: how long written data may stay unacknowledged before the kernel gives
  // up on a vanished peer; zero keeps the kernel's default (many minutes).
  std::chrono::milliseconds tcp_user_timeout{60'000};
  // TLS: how long a handshake may take, and how many may be under way at once. At the cap the
  // TLS listener stops accepting (the kernel's backlog holds the rest) until one finishes, so
  // a flood of handshakes cannot take over the loop and plain clients are served meanwhile.
  std::chrono::milliseconds tls_handshake_timeout{10'000};
  std::size_t tls_max_handshakes = 256;
  // The largest share of the time that rounds of one-line writes to a large room may take
  // (WritePacer); 1 writes every line as soon as the loop gets to it.
  double max_write_duty = 0.6;
};

}  // namespace chatroom
