// Opening the load tool's connections: in batches, so the server's listen backlog never
// overflows, each one ready (welcomed or subscribed) before the run starts.
#pragma once

#include <memory>
#include <vector>

#include "loadgen/load_config.hpp"
#include "loadgen/peer.hpp"
#include "loadgen/wire.hpp"

namespace chatroom::bench {

// Raises RLIMIT_NOFILE to its hard limit; throws if that is still below `needed`.
void raise_descriptor_limit(std::size_t needed);

enum class PeerRole { Receiver, Sender, Flooder };

// Connects `count` peers of one role to `target`, numbered from `first_index` (each named by
// its role and number, "r12", so names are unique in a run); throws std::runtime_error naming
// the target when a connection fails or set-up takes too long.
std::vector<std::unique_ptr<Peer>> connect_peers(const LoadConfig& config, const Wire& wire, const Target& target,
                                                 int count, int first_index, PeerRole role);

}  // namespace chatroom::bench
