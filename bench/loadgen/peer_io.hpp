// Reading and writing a load-tool peer, in the clear or through its TLS session, with the
// conventions of read(2) and send(2): -1 with errno EAGAIN when it would block, 0 at the end.
// A session is only ever used by the thread that owns its peer.
#pragma once

#include <sys/types.h>

#include <cstddef>

#include "loadgen/peer.hpp"

namespace chatroom::bench {

ssize_t peer_read(Peer& peer, char* into, std::size_t length);
ssize_t peer_send(Peer& peer, const char* bytes, std::size_t length);
// Takes the TLS handshake one step further; true once it is done (at once without TLS).
// Throws std::runtime_error if it failed.
bool advance_handshake(Peer& peer);

}  // namespace chatroom::bench
