// A WebSocket client built by hand over a plain test socket, for what a library client will
// not do: frames that break the rules, a peer that never answers pings or never reads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "support/test_client.hpp"

namespace chatroom::testing {

struct WebSocketFrame {
  bool final = true;
  bool masked = false;  // a server's never are
  std::uint8_t opcode = 0;
  std::string payload;
  [[nodiscard]] std::uint16_t close_code() const;
  [[nodiscard]] std::string close_reason() const { return payload.size() > 2 ? payload.substr(2) : ""; }
};

// Takes one whole frame off the front of `bytes`; nullopt (and `bytes` untouched) if it is not
// all there yet. A masked payload is returned as sent.
std::optional<WebSocketFrame> take_websocket_frame(std::string& bytes);

// A client frame: masked, as RFC 6455 requires, unless told otherwise (to test that rule).
std::string websocket_client_frame(std::uint8_t opcode, const std::string& payload, bool final = true,
                                   bool masked = true);

class WebSocketTestClient {
 public:
  static constexpr std::uint8_t kText = 0x1;
  static constexpr std::uint8_t kClose = 0x8;
  static constexpr std::uint8_t kPing = 0x9;

  // Connects and sends the upgrade request, with `extra_headers` ("Origin: ...\r\n").
  explicit WebSocketTestClient(std::uint16_t http_port, const std::string& extra_headers = "");

  // The response head ("HTTP/1.1 101 ...\r\n...\r\n"), or "" if none came in time.
  std::string read_response_head(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  void send_raw(const std::string& bytes) { socket_.send(bytes); }
  void send_text(const std::string& text) { socket_.send(websocket_client_frame(kText, text)); }
  // The next frame, or nullopt on timeout or end of stream.
  std::optional<WebSocketFrame> read_frame(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next text frame's payload, skipping pings; nullopt on timeout, close or end of stream.
  std::optional<std::string> read_text(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  TestClient& socket() { return socket_; }

 private:
  bool fill(std::size_t bytes, std::chrono::steady_clock::time_point deadline);

  TestClient socket_;
  std::string buffer_;
};

}  // namespace chatroom::testing
