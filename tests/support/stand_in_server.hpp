// A scripted server for testing the client against servers other than chatroomd (the
// original Python chat room, a hostile one): it listens on 127.0.0.1, port 0, accepts one
// client and sends exactly the bytes a test gives it, nothing of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "net/unique_fd.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {

class StandInServer {
 public:
  StandInServer();

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Waits for the client to connect; false after `timeout`.
  bool accept_client(std::chrono::milliseconds timeout);
  // Sends all of `bytes` to the client; throws if it has gone.
  void send(const std::string& bytes) { client_->send(bytes); }
  // The next line the client sent, with its "\n"; nullopt on timeout or end of file.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout) { return client_->read_line(timeout); }
  // Closes the connection to the client.
  void disconnect() { client_.reset(); }

 private:
  UniqueFd listener_;
  std::uint16_t port_ = 0;
  // The server's end of the accepted connection, read and written as a test client would.
  std::optional<TestClient> client_;
};

}  // namespace chatroom::testing
