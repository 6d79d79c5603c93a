// Everything chatroomd can be told on its command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <sys/socket.h>

#include "chat/chat_hub.hpp"
#include "server/server_limits.hpp"

namespace chatroom {

struct DaemonConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7000;
  ServerLimits limits;
  HubSettings chat;
  std::chrono::milliseconds shutdown_timeout{2000};
  int listen_backlog = SOMAXCONN;
  // Where to write the bound port (useful with port 0); written atomically once listening.
  std::optional<std::string> port_file;
  // Read admin commands from stdin.
  bool console = true;
};

}  // namespace chatroom
