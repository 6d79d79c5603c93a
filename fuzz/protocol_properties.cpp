// The protocol properties, checked without trusting the code under test to judge itself.
#include "protocol_properties.hpp"

#include <cstdint>
#include <vector>

#include "protocol/line_framer.hpp"
#include "protocol/line_kind.hpp"
#include "protocol/server_line.hpp"
#include "protocol/text_sanitizer.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom::fuzz {
namespace {

// What a framer reported, in order: a line, or an over-long line dropped.
struct FramedEvents final : LineSink {
  std::vector<std::string> events;
  FeedControl on_line(std::string_view line) override {
    events.emplace_back("line:");
    events.back().append(line);
    return FeedControl::Continue;
  }
  FeedControl on_line_too_long() override {
    events.emplace_back("too long");
    return FeedControl::Continue;
  }
};

bool points_into(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

std::optional<std::string> check_line(std::string_view line) {
  std::string scratch;
  const std::string clean = sanitized(line);
  if (!is_clean_text(clean)) return "sanitised text is not clean UTF-8";
  if (sanitized(clean) != clean) return "sanitising is not idempotent";
  std::string visible;
  append_visible(visible, line);
  if (!is_clean_text(visible)) return "visible text still holds control characters or invalid UTF-8";

  (void)classify_line(line);
  const ServerLine parsed_raw = parse_server_line(line);
  if (!points_into(parsed_raw.sender, line) || !points_into(parsed_raw.text, line) ||
      !points_into(parsed_raw.sent_at, line)) {
    return "parse_server_line returned a view outside the line";
  }

  constexpr std::string_view kSender = "127.0.0.1:40000";
  const SharedBytes encoded = encode_chat_line(kSender, line, scratch);
  if (encoded.empty()) {
    if (classify_line(clean) != LineKind::Blank) return "a line with visible text encoded to nothing";
    return std::nullopt;
  }
  const std::string_view wire(encoded.data(), encoded.size());
  const std::string prefix = "<" + std::string(kSender) + ">:\t";
  if (wire.substr(0, prefix.size()) != prefix || wire.back() != '\n') return "encoded line is not <SENDER>:\\tTEXT\\n";
  const std::string_view text = wire.substr(prefix.size(), wire.size() - prefix.size() - 1);
  if (text != clean) return "encoded text differs from the sanitised text";
  if (text.find('\n') != std::string_view::npos) return "encoded text holds a newline";
  const ServerLine parsed = parse_server_line(wire.substr(0, wire.size() - 1));
  if (parsed.kind != ServerLine::Kind::Chat || parsed.sender != kSender || parsed.text != text) {
    return "an encoded chat line does not parse back to its sender and text";
  }
  return std::nullopt;
}

}  // namespace

bool is_clean_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      if ((lead < 0x20 && lead != '\t') || lead == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      code = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      code = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      code = lead & 0x07u;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto continuation = static_cast<unsigned char>(text[i + k]);
      if ((continuation & 0xc0u) != 0x80u) return false;
      code = (code << 6) | (continuation & 0x3fu);
    }
    constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    if (code <= 0x9f) return false;  // C1 controls
    i += length;
  }
  return true;
}

std::optional<std::string> check_protocol_properties(std::string_view input) {
  if (input.size() < 2) return std::nullopt;
  const std::size_t max_line = 1 + static_cast<unsigned char>(input[0]);
  std::uint32_t chunk_seed = static_cast<unsigned char>(input[1]);
  const std::string_view stream = input.substr(2);

  // Differential: one read of everything against reads of 1 to 16 bytes.
  LineFramer whole_framer(max_line);
  FramedEvents whole;
  whole_framer.feed(stream, whole);
  LineFramer chunked_framer(max_line);
  FramedEvents chunked;
  for (std::size_t at = 0; at < stream.size();) {
    chunk_seed = chunk_seed * 1103515245u + 12345u;
    const std::size_t length = std::min<std::size_t>(1 + ((chunk_seed >> 16) % 16), stream.size() - at);
    chunked_framer.feed(stream.substr(at, length), chunked);
    at += length;
  }
  if (chunked.events != whole.events) return "chunked reads framed different lines than one read";
  if (chunked_framer.buffered() != whole_framer.buffered()) return "chunked reads left a different partial line";
  // One byte of slack: the "\r" of a "\r\n" still to come.
  if (whole_framer.buffered_bytes() > max_line + 1) return "the framer buffered more than the line limit";

  for (const std::string& event : whole.events) {
    if (event == "too long") continue;
    const std::string_view line = std::string_view(event).substr(5);
    if (line.size() > max_line) return "a line longer than the limit was framed";
    if (line.find('\n') != std::string_view::npos) return "a framed line holds a newline";
    if (auto broken = check_line(line)) return broken;
  }
  if (auto broken = check_line(whole_framer.buffered())) return broken;
  return std::nullopt;
}

}  // namespace chatroom::fuzz
