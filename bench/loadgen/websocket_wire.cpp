// chatroom's lines as WebSocket text frames: the upgrade request first, then masked client
// frames out and unmasked server frames in, one line per frame.
#include <cstdint>
#include <cstring>

#include "loadgen/wire.hpp"

namespace chatroom::bench {
namespace {

constexpr unsigned char kText = 0x1;
constexpr unsigned char kClose = 0x8;
constexpr unsigned char kPing = 0x9;
constexpr unsigned char kPong = 0xA;

class WebSocketWire final : public Wire {
 public:
  void append_connect(std::string& out, const Target& target, std::string_view) const override {
    const bool v6 = target.host.find(':') != std::string::npos;
    out.append("GET /ws HTTP/1.1\r\nHost: ")
        .append(v6 ? "[" + target.host + "]" : target.host)
        .append(":")
        .append(std::to_string(target.port))
        .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Key: Y2hhdHJvb20tYmVuY2gtMQ==\r\n\r\n");
  }

  void append_subscribe(std::string&) const override {}

  void append_publish(std::string& out, std::string_view payload) const override {
    append_frame(out, kText, payload);
  }

  void append_pong(std::string& out, std::string_view payload) const override { append_frame(out, kPong, payload); }

  std::size_t parse(std::string_view input, WireEvents& events) const override;

  [[nodiscard]] bool sender_waits_for_ready() const override { return true; }

 private:
  static void append_frame(std::string& out, unsigned char opcode, std::string_view payload) {
    // Clients must mask (RFC 6455 section 5.3); the key need not be secret to a load tool, but
    // it changes per frame as a browser's does, so the server unmasks like it would for one.
    out.push_back(static_cast<char>(0x80 | opcode));
    if (payload.size() < 126) {
      out.push_back(static_cast<char>(0x80 | payload.size()));
    } else {
      out.push_back(static_cast<char>(0x80 | 126));
      out.push_back(static_cast<char>((payload.size() >> 8) & 0xff));
      out.push_back(static_cast<char>(payload.size() & 0xff));
    }
    thread_local std::uint32_t state = 0x9e3779b9U;
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    char key[4];
    std::memcpy(key, &state, sizeof(key));
    out.append(key, sizeof(key));
    for (std::size_t i = 0; i < payload.size(); ++i) out.push_back(static_cast<char>(payload[i] ^ key[i & 3]));
  }
};

std::size_t WebSocketWire::parse(std::string_view input, WireEvents& events) const {
  std::size_t consumed = 0;
  if (input.starts_with("HTTP/")) {
    const std::size_t end = input.find("\r\n\r\n");
    if (end == std::string_view::npos) return 0;
    if (!input.starts_with("HTTP/1.1 101 ")) {
      events.on_protocol_error(input.substr(0, input.find("\r\n")));
      return end + 4;
    }
    consumed = end + 4;
  }
  while (input.size() - consumed >= 2) {
    const auto first = static_cast<unsigned char>(input[consumed]);
    std::uint64_t length = static_cast<unsigned char>(input[consumed + 1]) & 0x7f;
    std::size_t header = 2;
    if (length >= 126) {
      const std::size_t length_bytes = length == 126 ? 2 : 8;
      if (input.size() - consumed < 2 + length_bytes) break;
      length = 0;
      for (std::size_t i = 0; i < length_bytes; ++i) {
        length = (length << 8) | static_cast<unsigned char>(input[consumed + 2 + i]);
      }
      header += length_bytes;
    }
    if (input.size() - consumed < header + length) break;
    const std::string_view payload = input.substr(consumed + header, length);
    const unsigned opcode = first & 0x0f;
    if (opcode == kText) {
      handle_chat_line(payload, events);
    } else if (opcode == kClose) {
      events.on_protocol_error("the server closed the WebSocket: " + std::string(payload.size() > 2 ? payload.substr(2) : ""));
    } else if (opcode == kPing) {
      // A receiver never sends otherwise: unanswered, the server would cut it off.
      events.on_ping(payload);
    }
    consumed += header + length;
  }
  return consumed;
}

}  // namespace

std::unique_ptr<Wire> make_websocket_wire() { return std::make_unique<WebSocketWire>(); }

}  // namespace chatroom::bench
