// Connecting a client socket to a server, with a deadline and errors a user can act on.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "net/unique_fd.hpp"

namespace chatroom {

class ConnectError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Resolves `host` (an address or a name), tries each address in turn, and returns a connected
// non-blocking socket. Throws ConnectError: "cannot connect to HOST:PORT: Connection refused",
// "unknown host 'NAME'", or a timeout.
UniqueFd connect_tcp(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout);

}  // namespace chatroom
