// Driving SSL_do_handshake from socket readiness.
#include "tls/tls_handshake.hpp"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "net/socket_io.hpp"
#include "tls/tls_errors.hpp"

namespace chatroom {
namespace {

// Every TLS connection starts with a handshake record.
constexpr unsigned char kHandshakeRecordType = 0x16;
constexpr std::size_t kMaxDiscardedBytes = 64 << 10;
constexpr std::string_view kPlainTextNotice = "! this port speaks TLS: connect with chatroom --tls\n";

}  // namespace

TlsHandshake::TlsHandshake(std::uint64_t id, AcceptedSocket socket, SslHandle session, Reactor& reactor,
                           TlsHandshakeEvents& events, Duration timeout)
    : id_(id),
      socket_(std::move(socket.fd)),
      peer_(socket.peer),
      session_(std::move(session)),
      reactor_(reactor),
      events_(events),
      timeout_(timeout) {}

void TlsHandshake::start() {
  watch_ = reactor_.watch(socket_.get(), WatchMode::EdgeTriggered, *this);
  watching_ = true;
  deadline_ = reactor_.run_after(timeout_, [this] {
    deadline_.reset();
    fail(TlsHandshakeFailure::TimedOut, "no handshake within the timeout");
  });
  advance();
}

TlsHandshake::~TlsHandshake() { stop(); }

void TlsHandshake::stop() {
  if (deadline_) reactor_.cancel_timer(*deadline_);
  deadline_.reset();
  if (watching_) reactor_.unwatch(watch_);
  watching_ = false;
}

void TlsHandshake::handle_io(IoEvents) {
  // Either direction may be what the handshake waits for; trying again costs one SSL call.
  if (!finished_) advance();
}

TlsHandshake::FirstByte TlsHandshake::check_first_byte() {
  if (first_byte_checked_) return FirstByte::Tls;
  unsigned char first = 0;
  const ssize_t peeked = ::recv(socket_.get(), &first, 1, MSG_PEEK);
  // Nothing yet: OpenSSL must not read before we have looked, or the byte we look at later
  // would be from the client's second flight, not its first.
  if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return FirstByte::NotYet;
  first_byte_checked_ = true;
  if (peeked <= 0 || first == kHandshakeRecordType) return FirstByte::Tls;  // EOF and errors: the handshake says
  // A best-effort line in the clear, so someone trying nc or telnet learns what to do.
  ::send(socket_.get(), kPlainTextNotice.data(), kPlainTextNotice.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  fail(TlsHandshakeFailure::PlainText, "sent plain text to the TLS port");
  return FirstByte::PlainText;
}

void TlsHandshake::advance() {
  if (check_first_byte() != FirstByte::Tls) return;
  clear_tls_errors();
  const int result = SSL_do_handshake(session_.get());
  if (result == 1) {
    finished_ = true;
    stop();
    events_.on_handshake_done(*this);
    return;
  }
  const int saved_errno = errno;
  switch (SSL_get_error(session_.get(), result)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return;  // the edge-triggered watch reports both directions
    case SSL_ERROR_ZERO_RETURN:
      fail(TlsHandshakeFailure::Disconnected, "closed during the handshake");
      return;
    case SSL_ERROR_SYSCALL:
      clear_tls_errors();
      fail(TlsHandshakeFailure::Disconnected,
           saved_errno == 0 ? std::string("closed during the handshake") : std::strerror(saved_errno));
      return;
    default:
      fail(TlsHandshakeFailure::Refused, take_tls_errors());
      return;
  }
}

void TlsHandshake::fail(TlsHandshakeFailure failure, const std::string& detail) {
  if (finished_) return;
  finished_ = true;
  stop();
  // So the notice a plain-text client was just sent is not overtaken by a reset.
  std::array<char, 4096> scratch{};
  discard_unread_input(socket_.get(), scratch, kMaxDiscardedBytes);
  shutdown_write(socket_.get());
  session_.reset();
  socket_.reset();
  events_.on_handshake_failed(*this, failure, detail);
}

std::unique_ptr<TlsTransport> TlsHandshake::take_transport() {
  return std::make_unique<TlsTransport>(std::move(socket_), std::move(session_));
}

}  // namespace chatroom
