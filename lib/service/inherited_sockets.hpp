// Listening sockets handed over by the service manager (socket activation, sd_listen_fds).
#pragma once

#include <vector>

#include "net/unique_fd.hpp"

namespace chatroom {

// Takes ownership of the listening stream sockets passed with LISTEN_FDS/LISTEN_PID, and
// unsets those variables. Empty when not socket-activated or built without systemd. Throws
// std::runtime_error if a passed descriptor is not a listening stream socket.
std::vector<UniqueFd> take_inherited_listeners();

}  // namespace chatroom
