// Everything the chatroom client can be told on its command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace chatroom {

struct ClientConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7000;
  bool timestamps = false;
  bool no_color = false;
  std::chrono::milliseconds connect_timeout{5000};
};

}  // namespace chatroom
