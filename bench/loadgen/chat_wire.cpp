// chatroom's protocol: "<sender>:\tPAYLOAD\n" lines after a welcome line.
#include <cstring>

#include "loadgen/wire.hpp"

namespace chatroom::bench {
namespace {

class ChatWire final : public Wire {
 public:
  void append_subscribe(std::string&) const override {}

  void append_publish(std::string& out, std::string_view payload) const override {
    out.append(payload);
    out.push_back('\n');
  }

  std::size_t parse(std::string_view input, WireEvents& events) const override {
    std::size_t consumed = 0;
    for (;;) {
      const void* found = std::memchr(input.data() + consumed, '\n', input.size() - consumed);
      if (found == nullptr) return consumed;
      const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(found) - input.data());
      handle_line(input.substr(consumed, end - consumed), events);
      consumed = end + 1;
    }
  }

  [[nodiscard]] bool sender_waits_for_ready() const override { return true; }

 private:
  static void handle_line(std::string_view line, WireEvents& events) { handle_chat_line(line, events); }
};

}  // namespace

void handle_chat_line(std::string_view line, WireEvents& events) {
  const std::size_t text = line.find(">:\t");
  if (!line.empty() && line.front() == '<' && text != std::string_view::npos) {
    events.on_payload(line.substr(text + 3));
  } else if (line.rfind("connected to chat room at", 0) == 0) {
    events.on_ready();
  } else if (!line.empty() && line.front() == '!') {
    events.on_protocol_error(line);
  }
}

std::unique_ptr<Wire> make_chat_wire() { return std::make_unique<ChatWire>(); }

std::unique_ptr<Wire> make_wire(const Target& target) {
  switch (target.kind) {
    case Target::Kind::Redis:
      return make_redis_wire("chatroom-bench");
    case Target::Kind::WebSocket:
      return make_websocket_wire();
    case Target::Kind::Irc:
      return make_irc_wire();
    case Target::Kind::Chat:
      break;
  }
  return make_chat_wire();
}

}  // namespace chatroom::bench
