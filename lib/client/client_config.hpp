// Everything the chatroom client can be told on its command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace chatroom {

struct ClientConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7000;
  bool timestamps = false;
  bool no_color = false;
  std::chrono::milliseconds connect_timeout{5000};
  // Connect with TLS, trusting the system's certificate store or only `ca_file`.
  bool tls = false;
  std::optional<std::string> ca_file;
  // Answers a server's password request with this file's content (whitespace trimmed);
  // without it an interactive client asks, without echo.
  std::optional<std::string> password_file;
};

}  // namespace chatroom
