// Anything that can be sent a chat line: a client connection, or a fake in tests.
#pragma once

#include "buffer/shared_bytes.hpp"

namespace chatroom {

class Participant {
 public:
  // Queues `message` for this participant. Must not join or leave any room: membership
  // changes are deferred until the broadcast that called deliver() has finished.
  virtual void deliver(const SharedBytes& message) = 0;

 protected:
  ~Participant() = default;
};

}  // namespace chatroom
