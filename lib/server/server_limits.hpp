// The per-connection limits that keep one client from hurting the others.
#pragma once

#include <chrono>
#include <cstddef>

namespace chatroom {

struct ServerLimits {
  // Longest line a client may send, excluding its "\n" or "\r\n".
  std::size_t max_line_bytes = 4096;
  // Output queued for one client beyond which it is cut off at once as a slow consumer.
  std::size_t max_output_bytes = std::size_t{8} << 20;
  // Output a client may keep queued for up to soft_output_period; staying above it longer
  // cuts it off too (Redis's soft client-output-buffer-limit). Zero disables it.
  std::size_t soft_max_output_bytes = std::size_t{2} << 20;
  std::chrono::milliseconds soft_output_period{10'000};
  // Output queued for all clients together beyond which the largest backlogs are cut off
  // until the total is back under it; zero means no limit.
  std::size_t max_total_output_bytes = std::size_t{1} << 30;
  // Bytes read from one client per loop turn before the others get theirs. It bounds what one
  // flooder adds to a turn (its lines times its room's size), and so how long everyone else's
  // lines wait: 16 KiB, like Redis's per-read buffer, holds four maximum-length lines.
  std::size_t read_budget_bytes = std::size_t{16} << 10;
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
  // How long a client may hold an unterminated line (slowloris); zero means forever.
  std::chrono::milliseconds line_timeout{30'000};
  // How long a client may send nothing at all (not even a blank line) before it is cut off;
  // zero means forever.
  std::chrono::milliseconds idle_timeout{0};
  // WebSocket clients are pinged this often; one that sent nothing at all (not even a pong)
  // between two pings is cut off. Zero: no pings.
  std::chrono::milliseconds keepalive_interval{30'000};
  // TCP_USER_TIMEOUT: how long written data may stay unacknowledged before the kernel gives
  // up on a vanished peer; zero keeps the kernel's default (many minutes).
  std::chrono::milliseconds tcp_user_timeout{60'000};
  // TLS: how long a handshake may take, and how many may be under way at once. At the cap the
  // TLS listener stops accepting (the kernel's backlog holds the rest) until one finishes, so
  // a flood of handshakes cannot take over the loop and plain clients are served meanwhile.
  std::chrono::milliseconds tls_handshake_timeout{10'000};
  std::size_t tls_max_handshakes = 256;
};

}  // namespace chatroom
