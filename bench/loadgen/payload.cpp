// "B<sender>.<sequence>.<sent_ns>." followed by padding.
#include "loadgen/payload.hpp"

#include <algorithm>
#include <charconv>

namespace chatroom::bench {
namespace {

template <typename Integer>
void append_number(std::string& out, Integer value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
  out.append(digits, end);
}

template <typename Integer>
bool take_number(std::string_view& text, Integer& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() + text.size() || *end != '.') return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()) + 1);
  return true;
}

}  // namespace

void append_payload(std::string& out, const PayloadStamp& stamp, std::size_t size) {
  const std::size_t start = out.size();
  out.push_back('B');
  append_number(out, stamp.sender);
  out.push_back('.');
  append_number(out, stamp.sequence);
  out.push_back('.');
  append_number(out, stamp.sent_ns);
  out.push_back('.');
  const std::size_t written = out.size() - start;
  out.append(std::max(size, kMinPayloadBytes) - written, 'x');
}

std::optional<PayloadStamp> parse_payload(std::string_view payload) {
  if (payload.empty() || payload.front() != 'B') return std::nullopt;
  payload.remove_prefix(1);
  PayloadStamp stamp;
  if (!take_number(payload, stamp.sender) || !take_number(payload, stamp.sequence) ||
      !take_number(payload, stamp.sent_ns)) {
    return std::nullopt;
  }
  return stamp;
}

}  // namespace chatroom::bench
