// What one chatroom-bench run does, and what it measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loadgen/latency_histogram.hpp"

namespace chatroom::bench {

struct Target {
  enum class Kind { Chat, WebSocket, Irc, Redis };
  Kind kind = Kind::Chat;
  std::string host = "127.0.0.1";
  std::uint16_t port = 7000;

  // "HOST:PORT" or "chat://HOST:PORT" for chatroomd, "ws://HOST:PORT[/ws]" for chatroomd's
  // WebSocket, "irc://HOST:PORT" for an IRC server (chatroomd's --irc-port or another),
  // "redis://HOST:PORT" for Redis; IPv6 hosts in brackets. Throws std::invalid_argument with a message for the user.
  static Target parse(const std::string& text);
  [[nodiscard]] std::string to_string() const;
};

// How the tool's clients behave. The server's figures depend on it: at millions of deliveries
// a second the receivers' reads cost about as much CPU as the server's writes, and on two
// cores every cycle the tool spends is one the server does not get.
enum class ClientModel {
  // As separate client programs behave (what an independent load tool sees): the senders run
  // on a thread of their own, asleep until the window opens; each receiver reads at most
  // read_bytes once per readiness, level-triggered, as hiredis does with its event-library
  // adapters (16 KiB a read).
  Foreign,
  // As cheap as the tool can be: senders and receivers share one epoll loop per thread, and
  // receivers read until EAGAIN, 256 KiB at a time. It leaves the server a whole core.
  Lean,
};

struct LoadConfig {
  // Where senders and flooders connect, and receivers too unless receiver_targets is given.
  Target target;
  // Receivers are spread over these in turn (nodes of a cluster), each with its own latency.
  std::vector<Target> receiver_targets;
  int receivers = 100;
  int senders = 1;
  // Broadcasts per second over all senders (open loop); 0 means closed loop.
  double rate = 0;
  // Closed loop: broadcasts each sender may have in flight beyond the slowest receiver.
  int window = 64;
  // Measured broadcasts over all senders; with duration_s > 0 the run is timed instead.
  std::uint64_t messages = 10000;
  double duration_s = 0;
  std::size_t payload_bytes = 64;
  // Broadcasts sent before measuring starts, to let connections and caches settle.
  std::uint64_t warmup = 0;
  int threads = 1;
  ClientModel model = ClientModel::Foreign;
  // Bytes a receiver asks for in one read; 0: the model's (16 KiB foreign, 256 KiB lean).
  std::size_t read_bytes = 0;
  // Extra clients that send unmeasured lines flat out the whole run (what a flooder costs the
  // measured broadcasts).
  int flooders = 0;
  // Processes whose CPU time is measured (chatroomd, the nodes of a cluster, Redis), the first
  // one also for --idle.
  std::vector<int> server_pids;
  int connect_batch = 256;
  // Every connection through TLS (certificates not verified: a load tool measures, it does not
  // trust).
  bool tls = false;
  // A run whose deliveries make no progress for this long ends, counting the rest as lost.
  double stall_timeout_s = 10;
  bool progress = true;
};

struct LoadResult {
  std::uint64_t broadcasts = 0;  // measured
  std::uint64_t warmup_broadcasts = 0;
  std::uint64_t deliveries = 0;  // measured
  double elapsed_s = 0;          // from the first measured send to the last delivery
  LatencyHistogram delivery_latency;
  LatencyHistogram last_receiver_latency;  // per broadcast, the latency of its last delivery
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t reordered = 0;
  std::optional<double> server_cpu_s;  // all of server_pids together
  // Connecting every client (with --tls: each one's handshake), before the run: the
  // connections made, how long it took and the server CPU it cost.
  std::uint64_t setup_connections = 0;
  double setup_elapsed_s = 0;
  std::optional<double> setup_server_cpu_s;
  std::vector<double> server_cpu_each_s;
  // With several receiver targets: each one's deliveries and their latency.
  std::vector<std::uint64_t> deliveries_by_target;
  std::vector<LatencyHistogram> latency_by_target;
  std::uint64_t flood_lines_sent = 0;
  std::uint64_t flood_deliveries = 0;  // flood lines that reached the receivers
  int flooders_disconnected = 0;
  std::string error;  // why the run failed, if it did

  [[nodiscard]] double deliveries_per_second() const { return elapsed_s > 0 ? static_cast<double>(deliveries) / elapsed_s : 0; }
  [[nodiscard]] bool clean() const { return error.empty() && lost == 0 && duplicated == 0 && reordered == 0; }
};

}  // namespace chatroom::bench
