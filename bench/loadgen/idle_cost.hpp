// What idle clients cost the server: connect N clients, let them sit, and read the server's
// resident memory before and after.
#pragma once

#include <optional>

#include "loadgen/load_config.hpp"

namespace chatroom::bench {

struct IdleCost {
  int clients = 0;
  long rss_before_kib = 0;
  long rss_after_kib = 0;

  [[nodiscard]] double bytes_per_client() const {
    return clients > 0 ? static_cast<double>(rss_after_kib - rss_before_kib) * 1024.0 / clients : 0;
  }
};

// Needs config.server_pid. Holds config.receivers connections for `hold_seconds` before the
// second reading, so the server has finished setting them up.
IdleCost measure_idle_cost(const LoadConfig& config, double hold_seconds);

}  // namespace chatroom::bench
