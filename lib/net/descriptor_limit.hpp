// The process's limit on open descriptors (RLIMIT_NOFILE), which bounds how many clients a
// server can hold.
#pragma once

#include <cstddef>

namespace chatroom {

// Raises the soft limit to the hard limit and returns the soft limit now in force.
std::size_t raise_descriptor_limit_to_hard();

}  // namespace chatroom
