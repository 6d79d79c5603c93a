// What the load tool reads about the server process from /proc.
#pragma once

#include <optional>

namespace chatroom::bench {

// User plus system CPU time, from /proc/PID/stat.
[[nodiscard]] std::optional<double> read_process_cpu_seconds(int pid);
// Resident set size, from /proc/PID/status.
[[nodiscard]] std::optional<long> read_process_rss_kib(int pid);

}  // namespace chatroom::bench
