// Resolution and printing of socket addresses.
#include "net/socket_address.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace chatroom {

SocketAddress::SocketAddress(const sockaddr* address, socklen_t length) {
  if (length > sizeof(storage_)) length = sizeof(storage_);
  std::memcpy(&storage_, address, length);
  length_ = length;
}

SocketAddress SocketAddress::parse(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const std::string numeric = host == "localhost" ? "127.0.0.1" : host;
  const int rc = ::getaddrinfo(numeric.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    throw std::runtime_error("'" + host + "' is not an IPv4 or IPv6 address");
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
  return SocketAddress(found->ai_addr, found->ai_addrlen);
}

SocketAddress SocketAddress::local_of(int socket_fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "getsockname");
  }
  return SocketAddress(reinterpret_cast<const sockaddr*>(&storage), length);
}

SocketAddress SocketAddress::peer_of(int socket_fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (::getpeername(socket_fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "getpeername");
  }
  return SocketAddress(reinterpret_cast<const sockaddr*>(&storage), length);
}

std::uint16_t SocketAddress::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

std::string SocketAddress::host_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text, sizeof(text));
    return text;
  }
  if (family() == AF_INET6) {
    const in6_addr& address = reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&address)) {
      ::inet_ntop(AF_INET, &address.s6_addr[12], text, sizeof(text));
      return text;
    }
    ::inet_ntop(AF_INET6, &address, text, sizeof(text));
    return text;
  }
  return "?";
}

std::string SocketAddress::to_string() const {
  std::string host = host_string();
  const bool bracketed = family() == AF_INET6 && host.find(':') != std::string::npos;
  std::string text = bracketed ? "[" + host + "]" : std::move(host);
  text += ':';
  text += std::to_string(port());
  return text;
}

std::string_view host_part(std::string_view address) { return address.substr(0, address.rfind(':')); }

}  // namespace chatroom
