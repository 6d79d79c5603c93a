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
  // Rests after rounds of one-line writes to a large room (--max-write-duty), and their length.
  std::uint64_t write_rests = 0;
  double write_rest_seconds = 0;
  // TLS: sessions set up (and how many of them the kernel encrypts), handshakes that failed
  // or timed out, plain-text clients on the TLS port and TLS clients on the plain port.
  std::uint64_t tls_handshakes = 0;
  std::uint64_t tls_kernel_sessions = 0;
  std::uint64_t tls_handshakes_failed = 0;
  std::uint64_t tls_handshake_timeouts = 0;
  std::uint64_t plain_text_on_tls_port = 0;
  std::uint64_t tls_on_plain_port = 0;
  // TLS sessions closed because the client sent what is not valid TLS.
  std::uint64_t tls_protocol_errors = 0;
  // The server password: right and wrong attempts, and connections refused while their
  // address was locked out for guessing.
  std::uint64_t passwords_accepted = 0;
  std::uint64_t wrong_passwords = 0;
  std::uint64_t refused_locked_out = 0;
  // WebSocket: clients that upgraded, those closed for breaking the protocol (a close frame
  // with 1002, 1003, 1007 or 1009 told them why) and those that answered no ping.
  std::uint64_t websocket_connections_accepted = 0;
  std::uint64_t websocket_protocol_errors = 0;
  std::uint64_t websocket_ping_timeouts = 0;
  std::uint64_t irc_ping_timeouts = 0;
  std::uint64_t irc_registration_timeouts = 0;
};

}  // namespace chatroom
