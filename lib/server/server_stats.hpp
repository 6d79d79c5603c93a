// Counters for the shutdown summary and, later, status reports.
#pragma once

#include <cstddef>
#include <cstdint>

namespace chatroom {

struct ServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t lines_broadcast = 0;  // chat, action, private and console messages
  std::uint64_t deliveries = 0;
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t lines_too_long = 0;
  std::uint64_t slow_consumers_cut_off = 0;
  std::uint64_t refused_server_full = 0;
  std::uint64_t refused_per_ip = 0;
  std::uint64_t refused_out_of_descriptors = 0;
  std::uint64_t line_timeouts = 0;
  std::uint64_t idle_timeouts = 0;
  std::uint64_t lines_dropped_for_flooding = 0;
  std::uint64_t flooders_cut_off = 0;
  std::size_t peak_clients = 0;
  std::uint64_t kicked = 0;
};

}  // namespace chatroom
