// The per-connection limits that keep one client from hurting the others.
#pragma once

#include <cstddef>

namespace chatroom {

struct ServerLimits {
  // Longest line a client may send, excluding its "\n" or "\r\n".
  std::size_t max_line_bytes = 4096;
  // Output queued for one client beyond which it is cut off as a slow consumer.
  std::size_t max_output_bytes = std::size_t{8} << 20;
  // Bytes read from one client per wakeup before the others get their turn.
  std::size_t read_budget_bytes = std::size_t{64} << 10;
};

}  // namespace chatroom
