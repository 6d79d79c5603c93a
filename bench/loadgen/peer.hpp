// One connection of the load tool, a receiver or a sender.
#pragma once

#include <cstddef>
#include <string>

#include "net/unique_fd.hpp"
#include "tls/openssl_handles.hpp"

namespace chatroom::bench {

struct Peer {
  UniqueFd fd;
  // With --tls: the session over fd; every read and write goes through it (peer_io.hpp).
  SslHandle tls;
  bool handshake_done = false;
  int index = 0;  // receiver or sender number
  int target = 0;  // which of the receiver targets it is connected to
  bool is_sender = false;
  bool ready = false;
  std::string input;   // an incomplete message from the last read
  std::string output;  // senders: bytes not yet written
  std::size_t output_sent = 0;
  bool writable = true;
};

}  // namespace chatroom::bench
