// SSL_read_ex/SSL_write_ex on a non-blocking socket, mapped onto IoResult.
#include "tls/tls_transport.hpp"

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "net/socket_io.hpp"
#include "tls/tls_errors.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {

TlsTransport::TlsTransport(UniqueFd socket, SslHandle session)
    : socket_(std::move(socket)), session_(std::move(session)) {
  kernel_encrypts_ = BIO_get_ktls_send(SSL_get_wbio(session_.get())) != 0;
}

TlsTransport::~TlsTransport() = default;

IoResult TlsTransport::outcome_of_failed_call(int result, Direction& waits_for) {
  const int saved_errno = errno;
  switch (SSL_get_error(session_.get(), result)) {
    case SSL_ERROR_WANT_READ:
      waits_for = Direction::Readable;
      return IoResult::would_block();
    case SSL_ERROR_WANT_WRITE:
      waits_for = Direction::Writable;
      return IoResult::would_block();
    case SSL_ERROR_ZERO_RETURN:  // close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) a bare FIN
      return IoResult::end_of_file();
    case SSL_ERROR_SYSCALL:
      clear_tls_errors();
      return saved_errno == 0 ? IoResult::end_of_file() : IoResult::failed(saved_errno);
    default:
      // A protocol error: the peer sent something that is not valid TLS. Nothing more will
      // make sense on this stream.
      clear_tls_errors();
      return IoResult::broken(IoFailure::BrokeTls);
  }
}

IoResult TlsTransport::receive(std::span<char> into) {
  reading_waits_for_writable_ = false;
  clear_tls_errors();
  std::size_t received = 0;
  const int result = SSL_read_ex(session_.get(), into.data(), into.size(), &received);
  if (result == 1) return IoResult::transferred(received);
  // WANT_READ comes only once the socket said EAGAIN and OpenSSL holds no complete record
  // (SSL_MODE_AUTO_RETRY reads on past handshake messages), so SSL_pending is zero and the
  // next byte will raise a fresh edge.
  Direction waits_for = Direction::Readable;
  const IoResult outcome = outcome_of_failed_call(result, waits_for);
  reading_waits_for_writable_ = waits_for == Direction::Writable;
  return outcome;
}

IoResult TlsTransport::send(const OutputQueue& output, std::span<char> staging) {
  if (kernel_encrypts_) return send_queued_output(socket_.get(), output, staging);
  writing_waits_for_readable_ = false;
  // A retry after WANT_WRITE must offer at least the bytes offered before, starting at the
  // same byte: the queue only grows at its back, so copying its front again does just that.
  const std::size_t length = output.copy_front(staging.first(std::min(staging.size(), kMaxRecordBytes)));
  clear_tls_errors();
  std::size_t written = 0;
  const int result = SSL_write_ex(session_.get(), staging.data(), length, &written);
  if (result == 1) return IoResult::transferred(written);
  Direction waits_for = Direction::Writable;
  const IoResult outcome = outcome_of_failed_call(result, waits_for);
  writing_waits_for_readable_ = waits_for == Direction::Readable;
  // A peer gone mid-write is a failed write, not the end of its input.
  return outcome.is_end_of_file() ? IoResult::failed(EPIPE) : outcome;
}

void TlsTransport::shut_down_write() {
  if (!close_notify_sent_) {
    close_notify_sent_ = true;
    // One non-blocking attempt: the alert is a courtesy that lets the peer tell our close from
    // a truncation; we do not wait for its answer.
    clear_tls_errors();
    SSL_shutdown(session_.get());
    clear_tls_errors();
  }
  shutdown_write(socket_.get());
}

}  // namespace chatroom
