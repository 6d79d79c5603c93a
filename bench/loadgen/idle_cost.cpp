// Idle-client memory measurement.
#include "loadgen/idle_cost.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "loadgen/connector.hpp"
#include "loadgen/process_stats.hpp"

namespace chatroom::bench {

IdleCost measure_idle_cost(const LoadConfig& config, double hold_seconds) {
  if (config.server_pids.empty()) throw std::invalid_argument("--idle needs --server-pid");
  const int server_pid = config.server_pids.front();
  const auto wire = make_wire(config.target);
  raise_descriptor_limit(static_cast<std::size_t>(config.receivers) + 64);
  IdleCost cost;
  cost.clients = config.receivers;
  const auto before = read_process_rss_kib(server_pid);
  if (!before) throw std::runtime_error("cannot read the memory of process " + std::to_string(server_pid));
  cost.rss_before_kib = *before;
  const auto peers = connect_peers(config, *wire, config.target, config.receivers, 0, PeerRole::Receiver);
  std::this_thread::sleep_for(std::chrono::duration<double>(hold_seconds));
  cost.rss_after_kib = read_process_rss_kib(server_pid).value_or(0);
  return cost;
}

}  // namespace chatroom::bench
