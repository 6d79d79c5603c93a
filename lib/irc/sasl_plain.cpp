// SASL PLAIN's message: base64 in chunks, then three fields split by NUL (RFC 4616, section 2).
#include "irc/sasl_plain.hpp"

#include <array>
#include <cstdint>

namespace chatroom {
namespace {

// Each of the three fields is at most 255 bytes (RFC 4616), so their base64 is shorter than
// this: a longer exchange is no PLAIN message, only a client filling our memory.
constexpr std::size_t kMostEncodedBytes = 1024;
constexpr std::size_t kMostFieldBytes = 255;

constexpr std::array<std::int8_t, 256> base64_values() {
  std::array<std::int8_t, 256> values{};
  values.fill(-1);
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return values;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view encoded) {
  static constexpr std::array<std::int8_t, 256> kValues = base64_values();
  if (encoded.size() % 4 != 0) return std::nullopt;
  std::string decoded;
  decoded.reserve(encoded.size() / 4 * 3);
  for (std::size_t at = 0; at < encoded.size(); at += 4) {
    const bool last = at + 4 == encoded.size();
    std::uint32_t group = 0;
    std::size_t padding = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const char c = encoded[at + i];
      if (c == '=' && last && i >= 2) {
        ++padding;
        group <<= 6;
        continue;
      }
      const std::int8_t value = kValues[static_cast<unsigned char>(c)];
      if (value < 0 || padding > 0) return std::nullopt;  // not base64, or data after '='
      group = (group << 6) | static_cast<std::uint32_t>(value);
    }
    decoded.push_back(static_cast<char>(group >> 16));
    if (padding < 2) decoded.push_back(static_cast<char>((group >> 8) & 0xFF));
    if (padding < 1) decoded.push_back(static_cast<char>(group & 0xFF));
  }
  return decoded;
}

SaslPlainExchange::Step SaslPlainExchange::take(std::string_view chunk) {
  if (chunk.size() > kSaslChunkBytes) return Step::TooLong;
  if (chunk != "+") encoded_.append(chunk);
  if (encoded_.size() > kMostEncodedBytes) return Step::TooLong;
  if (chunk.size() == kSaslChunkBytes) return Step::NeedMore;
  const std::optional<std::string> message = decode_base64(encoded_);
  if (!message) return Step::Malformed;
  const std::size_t first = message->find('\0');
  const std::size_t second = first == std::string::npos ? first : message->find('\0', first + 1);
  if (second == std::string::npos || message->find('\0', second + 1) != std::string::npos) return Step::Malformed;
  credentials_.authzid = message->substr(0, first);
  credentials_.authcid = message->substr(first + 1, second - first - 1);
  credentials_.password = message->substr(second + 1);
  const bool sized = credentials_.authzid.size() <= kMostFieldBytes && !credentials_.authcid.empty() &&
                     credentials_.authcid.size() <= kMostFieldBytes && !credentials_.password.empty() &&
                     credentials_.password.size() <= kMostFieldBytes;
  return sized ? Step::Complete : Step::Malformed;
}

}  // namespace chatroom
