// Plain reads and gathered writes.
#include "transport/plain_transport.hpp"

#include <array>
#include <cerrno>

#include "net/socket_io.hpp"

namespace chatroom {
IoResult send_queued_output(int fd, const OutputQueue& output, std::span<char> staging) {
  std::array<iovec, kIovecsPerWrite> iovecs;  // gather() fills what it reports
  const std::size_t count = output.gather(iovecs, staging);
  return send_gathered(fd, std::span(iovecs).first(count));
}

IoResult PlainTransport::receive(std::span<char> into) {
  IoResult result = read_some(socket_.get(), into);
  if (check_first_bytes_ && result.is_transferred()) {
    check_first_bytes_ = false;
    // A TLS record header: handshake (0x16), version 3.x. No chat line starts that way.
    if (result.bytes >= 2 && into[0] == '\x16' && into[1] == '\x03') return IoResult::broken(IoFailure::TlsOnPlainPort);
  }
  return result;
}

IoResult PlainTransport::send(const OutputQueue& output, std::span<char> staging) {
  return send_queued_output(socket_.get(), output, staging);
}

void PlainTransport::shut_down_write() { shutdown_write(socket_.get()); }

}  // namespace chatroom
