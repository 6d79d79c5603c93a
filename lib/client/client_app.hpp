// The chatroom client put together: connect, pick a terminal or plain input and output, run.
#pragma once

#include "client/client_config.hpp"

namespace chatroom {

// Returns the process exit status: 0 for a clean end, 1 when the server could not be reached
// or the connection was lost.
int run_client(const ClientConfig& config);

}  // namespace chatroom
