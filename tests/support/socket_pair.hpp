// A connected pair of non-blocking Unix stream sockets, for driving one side of a connection
// from a test without a network; and reading what the other side was sent.
#pragma once

#include <string>

#include "net/unique_fd.hpp"

namespace chatroom::testing {

struct SocketPair {
  UniqueFd ours;   // the side given to the code under test
  UniqueFd peer;   // the side the test plays
};
// Throws std::system_error if the kernel refuses.
SocketPair make_socket_pair();

// Everything readable from `fd` now, without waiting (the socket is non-blocking).
std::string read_available(int fd);

}  // namespace chatroom::testing
