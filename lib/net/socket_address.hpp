// An IPv4 or IPv6 socket address, printed the way chatroom names peers: "ip:port" or "[v6]:port".
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace chatroom {

class SocketAddress {
 public:
  SocketAddress() = default;
  SocketAddress(const sockaddr* address, socklen_t length);

  // Parses an IPv4 or IPv6 literal ("localhost" is taken as 127.0.0.1). Never looks a name up
  // in DNS. Throws std::runtime_error with a message fit for the user.
  static SocketAddress parse(const std::string& host, std::uint16_t port);
  static SocketAddress local_of(int socket_fd);
  static SocketAddress peer_of(int socket_fd);

  [[nodiscard]] const sockaddr* data() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  [[nodiscard]] socklen_t size() const { return length_; }
  [[nodiscard]] int family() const { return storage_.ss_family; }
  [[nodiscard]] std::uint16_t port() const;

  // IPv4-mapped IPv6 addresses (a dual-stack "::" listener's IPv4 peers) print as plain IPv4.
  [[nodiscard]] std::string host_string() const;
  [[nodiscard]] std::string to_string() const;

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

// The host part of an address as SocketAddress::to_string() writes it ("ip" of "ip:port",
// "[v6]" of "[v6]:port"): the key of the limits kept per address.
[[nodiscard]] std::string_view host_part(std::string_view address);

}  // namespace chatroom
