// What the reactor calls when a watched descriptor is ready.
#pragma once

#include <cstdint>

namespace chatroom {

struct IoEvents {
  bool readable = false;
  bool writable = false;
  bool peer_hung_up = false;  // EPOLLRDHUP or EPOLLHUP: the peer will send nothing more
  bool error = false;         // EPOLLERR

  static IoEvents from_epoll(std::uint32_t mask);
};

class IoHandler {
 public:
  virtual void handle_io(IoEvents events) = 0;

 protected:
  ~IoHandler() = default;
};

}  // namespace chatroom
