#include "support/http_daemon.hpp"

#include <algorithm>

namespace chatroom::testing {

HttpDaemon::HttpDaemon(std::vector<std::string> extra) {
  std::vector<std::string> args{"--http-port", "0", "--http-port-file", dir_.file("http-port")};
  if (std::find(extra.begin(), extra.end(), "--rate-limit") == extra.end()) {
    args.insert(args.end(), {"--rate-limit", "0"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  daemon_ = std::make_unique<DaemonProcess>(args);
  http_port_ = static_cast<std::uint16_t>(std::stoi(read_file(dir_.file("http-port"))));
}

std::string HttpDaemon::websocket_url() const { return "ws://127.0.0.1:" + std::to_string(http_port_) + "/ws"; }

}  // namespace chatroom::testing
