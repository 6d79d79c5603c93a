// Thin wrappers over read/sendmsg that retry EINTR and report IoResult instead of errno.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>

#include "net/io_result.hpp"

namespace chatroom {

// The most iovecs one gathered write describes: enough to send a long run of small queued
// messages in one syscall, far below IOV_MAX. Writers keep an array of this many.
inline constexpr std::size_t kIovecsPerWrite = 256;

IoResult read_some(int fd, std::span<char> into);

// Gathers several buffers into one sendmsg(MSG_NOSIGNAL), so a peer that has gone away
// yields EPIPE here instead of a SIGPIPE that would kill the process.
IoResult send_gathered(int fd, std::span<const iovec> buffers);

// Reads and drops what the peer sent, up to `max_bytes`, until the socket would block, into
// `scratch`. Called just before closing: a socket closed with unread input sends RST, which
// can destroy the last bytes we sent (a notice, a response) before the peer reads them.
void discard_unread_input(int fd, std::span<char> scratch, std::size_t max_bytes);

// Sends FIN while keeping the receive side open; errors are irrelevant to the caller.
void shutdown_write(int fd);

void set_nonblocking(int fd);

}  // namespace chatroom
