#include "net/socket_address.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <stdexcept>

namespace chatroom {
namespace {

TEST(SocketAddress, Ipv4PrintsAsHostColonPort) {
  EXPECT_EQ(SocketAddress::parse("127.0.0.1", 7000).to_string(), "127.0.0.1:7000");
}

TEST(SocketAddress, Ipv6PrintsInBrackets) {
  EXPECT_EQ(SocketAddress::parse("::1", 7000).to_string(), "[::1]:7000");
  EXPECT_EQ(SocketAddress::parse("::", 0).to_string(), "[::]:0");
}

TEST(SocketAddress, Ipv4MappedIpv6PrintsAsIpv4) {
  sockaddr_in6 mapped{};
  mapped.sin6_family = AF_INET6;
  mapped.sin6_port = htons(4242);
  const unsigned char bytes[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3};
  std::memcpy(&mapped.sin6_addr, bytes, sizeof(bytes));
  const SocketAddress address(reinterpret_cast<const sockaddr*>(&mapped), sizeof(mapped));
  EXPECT_EQ(address.to_string(), "10.1.2.3:4242");
}

TEST(SocketAddress, LocalhostMeansTheIpv4Loopback) {
  EXPECT_EQ(SocketAddress::parse("localhost", 1).to_string(), "127.0.0.1:1");
}

TEST(SocketAddress, NonNumericHostIsAClearErrorWithoutALookup) {
  try {
    (void)SocketAddress::parse("chat.example", 1);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "'chat.example' is not an IPv4 or IPv6 address");
  }
}

}  // namespace
}  // namespace chatroom
