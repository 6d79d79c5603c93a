// Closing is the one operation UniqueFd owns; see unique_fd.hpp.
#include "net/unique_fd.hpp"

#include <unistd.h>

namespace chatroom {

void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0) {
    // close() must not be retried on EINTR on Linux: the descriptor is released either way.
    ::close(fd_);
  }
  fd_ = fd;
}

}  // namespace chatroom
