// Feeding a WebSocketTransport arbitrary client bytes and judging what comes out.
#include "websocket_properties.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "net/unique_fd.hpp"
#include "websocket/websocket_transport.hpp"

namespace chatroom::fuzz {
namespace {

// Plain UTF-8 validity (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

// Checks that `bytes` is a run of whole, unmasked server frames; returns what is wrong.
std::optional<std::string> check_server_frames(std::string_view bytes) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (bytes.size() - at < 2) return "a truncated frame header";
    const auto first = static_cast<unsigned char>(bytes[at]);
    const auto second = static_cast<unsigned char>(bytes[at + 1]);
    if ((second & 0x80) != 0) return "a masked server frame";
    if ((first & 0x70) != 0) return "reserved bits set";
    const unsigned opcode = first & 0x0F;
    std::uint64_t length = second & 0x7F;
    std::size_t header = 2;
    if (opcode >= 0x8) {
      if (length > 125) return "a control frame longer than 125 bytes";
      if ((first & 0x80) == 0) return "a fragmented control frame";
      if (opcode != 0x8 && opcode != 0x9 && opcode != 0xA) return "an unknown control opcode";
    } else if (length >= 126) {
      const std::size_t length_bytes = length == 126 ? 2 : 8;
      if (bytes.size() - at < 2 + length_bytes) return "a truncated length";
      length = 0;
      for (std::size_t k = 0; k < length_bytes; ++k) length = (length << 8) | static_cast<unsigned char>(bytes[at + 2 + k]);
      header += length_bytes;
    }
    if (bytes.size() - at < header + length) return "a truncated payload";
    if (opcode == 0x8 && length == 1) return "a close frame with half a status code";
    at += header + length;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_websocket_properties(std::string_view input) {
  if (input.empty()) return std::nullopt;
  const auto settings = static_cast<unsigned char>(input[0]);
  const std::size_t max_message = std::size_t{16} << (settings & 0x07);  // 16 .. 2,048
  const std::size_t read_size = 1 + (settings >> 3) * 37;                // 1 .. 1,148
  input.remove_prefix(1);

  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) return std::nullopt;
  UniqueFd client(fds[1]);
  ::shutdown(client.get(), SHUT_WR);  // all the client sends is `input`, then the end
  WebSocketTransport transport{UniqueFd(fds[0]), "", std::string(input), WebSocketLimits{max_message}};

  std::vector<char> buffer(read_size);
  std::string decoded;
  IoResult last;
  for (std::size_t calls = 0;; ++calls) {
    if (calls > input.size() + 16) return "receive() never stopped handing up bytes";
    last = transport.receive(buffer);
    if (!last.is_transferred()) break;
    if (last.bytes == 0 || last.bytes > buffer.size()) return "receive() handed up an impossible count";
    decoded.append(buffer.data(), last.bytes);
  }
  // Each message is its bytes and a "\n": never more than the client sent (frames have headers).
  if (decoded.size() > input.size()) return "more bytes handed up than were sent";
  if (!decoded.empty() && decoded.back() != '\n') return "a message handed up without its newline";
  if (!is_utf8(decoded)) return "invalid UTF-8 handed up as text";
  if (last.is_failed() && last.failure == IoFailure::BrokeWebSocket) {
    // 1005: wslay answers a few frame-level errors (a control frame past 125 bytes) with a
    // close frame that carries no code, which RFC 6455 allows.
    const std::uint16_t code = transport.close_code_sent();
    if (code != 1002 && code != 1003 && code != 1005 && code != 1007 && code != 1009) {
      return "a protocol failure closed with code " + std::to_string(code);
    }
  } else if (!last.is_end_of_file()) {
    return "the stream ended neither cleanly nor with a protocol error";
  }

  // What the transport wrote back (pongs, the close frame) must be whole server frames.
  transport.say_farewell(Farewell{1001, "fuzzing over"});
  std::string written;
  char chunk[65536];
  for (ssize_t n; (n = ::recv(client.get(), chunk, sizeof(chunk), MSG_DONTWAIT)) > 0;) {
    written.append(chunk, static_cast<std::size_t>(n));
  }
  if (auto broken = check_server_frames(written)) return "the server wrote " + *broken;
  return std::nullopt;
}

}  // namespace chatroom::fuzz
