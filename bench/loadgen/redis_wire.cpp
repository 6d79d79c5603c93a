// Redis pub/sub over RESP2: SUBSCRIBE on receivers, PUBLISH on senders, and an incremental
// parser for the replies (arrays of bulk strings, integers, errors).
#include <charconv>
#include <cstring>
#include <optional>
#include <array>

#include "loadgen/wire.hpp"

namespace chatroom::bench {
namespace {

void append_bulk(std::string& out, std::string_view bytes) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof(digits), bytes.size()).ptr;
  out.push_back('$');
  out.append(digits, end);
  out.append("\r\n");
  out.append(bytes);
  out.append("\r\n");
}

// One RESP value at the front of a buffer; nullopt while it is incomplete.
struct Value {
  char type = 0;
  std::string_view text;                // bulk/simple string, integer or error text
  // The first items of an array of bulk strings (pub/sub messages have three); fixed-size so
  // parsing allocates nothing.
  std::array<std::string_view, 3> items{};
  std::size_t item_count = 0;
  std::size_t size = 0;                 // bytes the value takes
};

std::optional<std::string_view> line_at(std::string_view input, std::size_t at, std::size_t& next) {
  const std::size_t end = input.find("\r\n", at);
  if (end == std::string_view::npos) return std::nullopt;
  next = end + 2;
  return input.substr(at, end - at);
}

std::optional<Value> parse_scalar(std::string_view input, std::size_t at) {
  if (at >= input.size()) return std::nullopt;
  std::size_t next = 0;
  const auto header = line_at(input, at + 1, next);
  if (!header) return std::nullopt;
  Value value;
  value.type = input[at];
  if (value.type == '$') {
    long long length = 0;
    std::from_chars(header->data(), header->data() + header->size(), length);
    if (length < 0) {  // null bulk string
      value.size = next - at;
      return value;
    }
    const auto bytes = static_cast<std::size_t>(length);
    if (input.size() < next + bytes + 2) return std::nullopt;
    value.text = input.substr(next, bytes);
    value.size = next + bytes + 2 - at;
    return value;
  }
  value.text = *header;
  value.size = next - at;
  return value;
}

std::optional<Value> parse_value(std::string_view input) {
  if (input.empty()) return std::nullopt;
  if (input.front() != '*') return parse_scalar(input, 0);
  std::size_t next = 0;
  const auto header = line_at(input, 1, next);
  if (!header) return std::nullopt;
  long long count = 0;
  std::from_chars(header->data(), header->data() + header->size(), count);
  Value array;
  array.type = '*';
  for (long long i = 0; i < count; ++i) {
    const auto item = parse_scalar(input, next);
    if (!item) return std::nullopt;
    if (array.item_count < array.items.size()) array.items[array.item_count++] = item->text;
    next += item->size;
  }
  array.size = next;
  return array;
}

class RedisWire final : public Wire {
 public:
  explicit RedisWire(std::string channel) : channel_(std::move(channel)) {}

  void append_subscribe(std::string& out) const override {
    out.append("*2\r\n");
    append_bulk(out, "SUBSCRIBE");
    append_bulk(out, channel_);
  }

  void append_publish(std::string& out, std::string_view payload) const override {
    out.append("*3\r\n");
    append_bulk(out, "PUBLISH");
    append_bulk(out, channel_);
    append_bulk(out, payload);
  }

  std::size_t parse(std::string_view input, WireEvents& events) const override {
    std::size_t consumed = 0;
    while (const auto value = parse_value(input.substr(consumed))) {
      consumed += value->size;
      if (value->type == '-') {
        events.on_protocol_error(value->text);
      } else if (value->type == '*' && value->item_count == 3 && value->items[0] == "message") {
        events.on_payload(value->items[2]);
      } else if (value->type == '*' && value->item_count > 0 && value->items[0] == "subscribe") {
        events.on_ready();
      }
      // Integer replies to PUBLISH (the receiver count) need no action.
    }
    return consumed;
  }

  [[nodiscard]] bool sender_waits_for_ready() const override { return false; }

 private:
  std::string channel_;
};

}  // namespace

std::unique_ptr<Wire> make_redis_wire(std::string channel) { return std::make_unique<RedisWire>(std::move(channel)); }

}  // namespace chatroom::bench
