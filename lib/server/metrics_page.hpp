// GET /metrics: the daemon's counters and gauges in Prometheus's text format, named by its
// conventions (chatroomd_..._total for counters, base units, HELP and TYPE for each).
#pragma once

#include <string>

#include "http/http_server.hpp"
#include "reactor/loop_load.hpp"
#include "server/chat_server.hpp"

namespace chatroom {

struct MetricsSources {
  const ChatServer& server;
  const LoopLoad& loop;
  const HttpServer* http = nullptr;  // its own requests, once it exists
};

[[nodiscard]] std::string metrics_page(const MetricsSources& sources);

}  // namespace chatroom
