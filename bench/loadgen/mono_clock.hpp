// CLOCK_MONOTONIC in nanoseconds: what payload stamps and latencies are measured in.
#pragma once

#include <time.h>

#include <cstdint>

namespace chatroom::bench {

inline std::int64_t now_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace chatroom::bench
