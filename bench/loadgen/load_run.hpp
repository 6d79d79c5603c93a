// Runs one load: connects receivers and senders, sends broadcasts open- or closed-loop, and
// measures every delivery.
#pragma once

#include "loadgen/load_config.hpp"

namespace chatroom::bench {

// Throws std::runtime_error when the run cannot start (connection refused, too few
// descriptors); problems during the run are reported in LoadResult::error.
LoadResult run_load(const LoadConfig& config);

}  // namespace chatroom::bench
