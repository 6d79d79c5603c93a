// chatroomd put together: the reactor, the chat server, signals and the console, from start-up
// to the shutdown summary.
#pragma once

#include "service/daemon_config.hpp"

namespace chatroom {

// Runs until shut down by "\close" on the console, SIGTERM or SIGINT; returns the exit status.
// Throws std::exception with a message fit for the user when start-up fails (e.g. bind).
int run_daemon(const DaemonConfig& requested);

}  // namespace chatroom
