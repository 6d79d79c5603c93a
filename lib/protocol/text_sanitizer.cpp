// A strict UTF-8 validator that repairs instead of rejecting.
#include "protocol/text_sanitizer.hpp"

#include <cstdint>

namespace chatroom {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

bool is_printable_ascii(unsigned char byte) { return (byte >= 0x20 && byte < 0x7F) || byte == '\t'; }

bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

// The length of the valid UTF-8 sequence starting at text[0], or 0 if it is not one. The
// second byte's range rules out overlong forms, surrogates and values past U+10FFFF.
std::size_t valid_sequence_length(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (!is_continuation(byte(i))) return 0;
  }
  return length;
}

bool is_c1_control(std::string_view sequence) {
  return sequence.size() == 2 && static_cast<unsigned char>(sequence[0]) == 0xC2 &&
         static_cast<unsigned char>(sequence[1]) <= 0x9F;
}

enum class ControlPolicy { Drop, ShowEscaped };

void append_control(std::string& out, unsigned char byte, ControlPolicy policy) {
  if (policy == ControlPolicy::Drop) return;
  out.push_back('^');
  out.push_back(byte == 0x7F ? '?' : static_cast<char>(byte + 0x40));
}

void append_c1_control(std::string& out, std::string_view sequence, ControlPolicy policy) {
  if (policy == ControlPolicy::Drop) return;
  static constexpr char kHex[] = "0123456789ABCDEF";
  const auto code = static_cast<unsigned char>(sequence[1]);
  out.append("<U+00");
  out.push_back(kHex[code >> 4]);
  out.push_back(kHex[code & 0xF]);
  out.push_back('>');
}

void append_clean(std::string& out, std::string_view text, ControlPolicy policy) {
  std::size_t i = 0;
  while (i < text.size()) {
    // Chat text is mostly printable ASCII: copy such runs whole.
    std::size_t run_end = i;
    while (run_end < text.size() && is_printable_ascii(static_cast<unsigned char>(text[run_end]))) ++run_end;
    out.append(text.substr(i, run_end - i));
    i = run_end;
    if (i == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {  // a control character
      append_control(out, byte, policy);
      ++i;
      continue;
    }
    const std::size_t length = valid_sequence_length(text.substr(i));
    if (length == 0) {
      out.append(kReplacementCharacter);
      ++i;
      continue;
    }
    const std::string_view sequence = text.substr(i, length);
    if (is_c1_control(sequence)) {
      append_c1_control(out, sequence, policy);
    } else {
      out.append(sequence);
    }
    i += length;
  }
}

}  // namespace

void append_sanitized(std::string& out, std::string_view text) { append_clean(out, text, ControlPolicy::Drop); }

void append_visible(std::string& out, std::string_view text) { append_clean(out, text, ControlPolicy::ShowEscaped); }

std::string sanitized(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_sanitized(out, text);
  return out;
}

std::size_t utf8_prefix_length(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text.size();
  std::size_t length = limit;
  while (length > 0 && is_continuation(static_cast<unsigned char>(text[length]))) --length;
  return length == 0 ? limit : length;
}

std::string sanitized_within(std::string_view text, std::size_t max_bytes) {
  std::string clean;
  append_sanitized(clean, text.substr(0, max_bytes));
  clean.resize(utf8_prefix_length(clean, max_bytes));
  return clean;
}

}  // namespace chatroom
