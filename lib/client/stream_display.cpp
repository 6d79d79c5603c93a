// Blocking writes: our own stdout is allowed to slow us down, unlike a socket.
#include "client/stream_display.hpp"

#include <unistd.h>

#include <cerrno>

namespace chatroom {

void StreamDisplay::show(const DisplayLine& line) {
  const std::string text = formatter_.format(line);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to show it (a closed pipe): nothing better to do
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace chatroom
