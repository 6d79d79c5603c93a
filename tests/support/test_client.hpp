// A plain blocking chat client for tests: connect, send bytes, read lines with a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "net/unique_fd.hpp"
#include "support/line_reader.hpp"

namespace chatroom::testing {

class TestClient final : public LineReader {
 public:
  // Connects to `host` (an IPv4 or IPv6 literal) and, unless told not to, reads the welcome line.
  explicit TestClient(std::uint16_t port, const std::string& host = "127.0.0.1", bool read_welcome = true);
  // Speaks over a socket connected already, such as the server's end of an accepted one.
  explicit TestClient(UniqueFd connected);

  // The name the server gives this client: "ip:port" as the server sees it.
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& welcome() const { return welcome_; }
  [[nodiscard]] int fd() const { return fd_.get(); }

  void send(const std::string& bytes);
  // Sends `count` lines of `length` copies of `fill`, each with its newline.
  void send_lines(int count, std::size_t length, char fill);
  // Closes with RST instead of FIN.
  void reset();
  void close() { fd_.reset(); }
  void set_receive_buffer(int bytes);

 private:
  Received receive_some(std::string& into, Deadline deadline) override;

  UniqueFd fd_;
  std::string name_;
  std::string welcome_;
};

// The exact bytes chatroomd sends others when `sender` says `text`: "<NAME>:\tTEXT\n".
std::string chat_line(const TestClient& sender, const std::string& text);

// Whether this machine has an IPv6 loopback (::1) that tests can use.
bool ipv6_loopback_available();

}  // namespace chatroom::testing
