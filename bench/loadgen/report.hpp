// chatroom-bench's output: a table for people, JSON for scripts.
#pragma once

#include <string>

#include "loadgen/load_config.hpp"

namespace chatroom::bench {

[[nodiscard]] std::string format_table(const LoadConfig& config, const LoadResult& result);
[[nodiscard]] std::string format_json(const LoadConfig& config, const LoadResult& result);

}  // namespace chatroom::bench
