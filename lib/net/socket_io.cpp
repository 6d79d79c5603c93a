// EINTR retries and errno translation for the few syscalls on the hot path.
#include "net/socket_io.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace chatroom {
namespace {

IoResult from_errno(int err) {
  if (err == EAGAIN || err == EWOULDBLOCK) return IoResult::would_block();
  return IoResult::failed(err);
}

}  // namespace

IoResult read_some(int fd, std::span<char> into) {
  for (;;) {
    const ssize_t n = ::read(fd, into.data(), into.size());
    if (n > 0) return IoResult::transferred(static_cast<std::size_t>(n));
    if (n == 0) return IoResult::end_of_file();
    if (errno != EINTR) return from_errno(errno);
  }
}

IoResult send_gathered(int fd, std::span<const iovec> buffers) {
  msghdr message{};
  message.msg_iov = const_cast<iovec*>(buffers.data());
  message.msg_iovlen = buffers.size();
  for (;;) {
    const ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n >= 0) return IoResult::transferred(static_cast<std::size_t>(n));
    if (errno != EINTR) return from_errno(errno);
  }
}

void discard_unread_input(int fd, std::span<char> scratch, std::size_t max_bytes) {
  for (std::size_t discarded = 0; discarded < max_bytes;) {
    const IoResult result = read_some(fd, scratch);
    if (!result.is_transferred()) return;
    discarded += result.bytes;
  }
}

void shutdown_write(int fd) { ::shutdown(fd, SHUT_WR); }

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    throw std::system_error(errno, std::generic_category(), "fcntl(O_NONBLOCK)");
  }
}

}  // namespace chatroom
