// Where a node finds Redis: "redis://HOST:PORT[/DB]" (HOST an IPv4 address, a bracketed IPv6
// address or localhost) or "unix:///PATH[?db=DB]". Never a name to look up: a DNS lookup
// blocks, and the loop must never block, neither at start nor on a reconnect.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chatroom {

struct RedisAddress {
  std::string host;  // an IP literal, empty for a unix socket
  std::uint16_t port = 6379;
  std::string unix_path;
  unsigned database = 0;

  // Throws std::invalid_argument with a message fit for the user.
  static RedisAddress parse(std::string_view url);
  [[nodiscard]] std::string to_string() const;
};

}  // namespace chatroom
