// A chatroomd with its HTTP listener (web client, WebSocket, health, metrics) on a free port,
// and flood control off unless `extra` sets --rate-limit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/temp_dir.hpp"

namespace chatroom::testing {

class HttpDaemon {
 public:
  explicit HttpDaemon(std::vector<std::string> extra = {});
  DaemonProcess& daemon() { return *daemon_; }
  [[nodiscard]] std::uint16_t chat_port() const { return daemon_->port(); }
  [[nodiscard]] std::uint16_t http_port() const { return http_port_; }
  // "ws://127.0.0.1:PORT/ws"
  [[nodiscard]] std::string websocket_url() const;

 private:
  TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::uint16_t http_port_ = 0;
};

}  // namespace chatroom::testing
