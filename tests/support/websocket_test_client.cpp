#include "support/websocket_test_client.hpp"

#include <poll.h>
#include <sys/socket.h>

namespace chatroom::testing {

std::uint16_t WebSocketFrame::close_code() const {
  if (payload.size() < 2) return 0;
  return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]));
}

std::optional<WebSocketFrame> take_websocket_frame(std::string& bytes) {
  if (bytes.size() < 2) return std::nullopt;
  const auto first = static_cast<unsigned char>(bytes[0]);
  const auto second = static_cast<unsigned char>(bytes[1]);
  std::uint64_t length = second & 0x7f;
  std::size_t header = 2;
  if (length >= 126) {
    const std::size_t length_bytes = length == 126 ? 2 : 8;
    if (bytes.size() < 2 + length_bytes) return std::nullopt;
    length = 0;
    for (std::size_t i = 0; i < length_bytes; ++i) length = (length << 8) | static_cast<unsigned char>(bytes[2 + i]);
    header += length_bytes;
  }
  const bool masked = (second & 0x80) != 0;
  if (masked) header += 4;
  if (bytes.size() < header + length) return std::nullopt;
  WebSocketFrame frame{(first & 0x80) != 0, masked, static_cast<std::uint8_t>(first & 0x0f), bytes.substr(header, length)};
  bytes.erase(0, header + length);
  return frame;
}

std::string websocket_client_frame(std::uint8_t opcode, const std::string& payload, bool final, bool masked) {
  std::string frame;
  frame.push_back(static_cast<char>((final ? 0x80 : 0x00) | opcode));
  const unsigned mask_bit = masked ? 0x80 : 0x00;
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() <= 0xffff) {
    frame.push_back(static_cast<char>(mask_bit | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xff));
  } else {
    frame.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((payload.size() >> shift) & 0xff));
  }
  if (!masked) return frame + payload;
  const char key[4] = {0x0a, 0x1b, 0x2c, 0x3d};
  frame.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ key[i % 4]));
  return frame;
}

WebSocketTestClient::WebSocketTestClient(std::uint16_t http_port, const std::string& extra_headers)
    : socket_(http_port, "127.0.0.1", false) {
  socket_.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(http_port) +
               "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
               extra_headers + "\r\n");
}

bool WebSocketTestClient::fill(std::size_t bytes, std::chrono::steady_clock::time_point deadline) {
  while (buffer_.size() < bytes) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{socket_.fd(), POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::recv(socket_.fd(), chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

std::string WebSocketTestClient::read_response_head(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t end = buffer_.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::string head = buffer_.substr(0, end + 4);
      buffer_.erase(0, end + 4);
      return head;
    }
    if (!fill(buffer_.size() + 1, deadline)) return "";
  }
}

std::optional<WebSocketFrame> WebSocketTestClient::read_frame(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (std::optional<WebSocketFrame> frame = take_websocket_frame(buffer_)) return frame;
    if (!fill(buffer_.size() + 1, deadline)) return std::nullopt;
  }
}

std::optional<std::string> WebSocketTestClient::read_text(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const std::optional<WebSocketFrame> frame = read_frame(std::max(left, std::chrono::milliseconds(0)));
    if (!frame || frame->opcode == kClose) return std::nullopt;
    if (frame->opcode == kText) return frame->payload;
  }
}

}  // namespace chatroom::testing
