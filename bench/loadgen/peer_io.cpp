// OpenSSL's results mapped onto read(2) and send(2) conventions.
#include "loadgen/peer_io.hpp"

#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "tls/tls_errors.hpp"

namespace chatroom::bench {
namespace {

ssize_t failed_call(Peer& peer, int result) {
  const int saved_errno = errno;
  switch (SSL_get_error(peer.tls.get(), result)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    case SSL_ERROR_SYSCALL:
      clear_tls_errors();
      if (saved_errno == 0) return 0;
      errno = saved_errno;
      return -1;
    default:
      clear_tls_errors();
      errno = EPROTO;
      return -1;
  }
}

}  // namespace

ssize_t peer_read(Peer& peer, char* into, std::size_t length) {
  if (!peer.tls) return ::read(peer.fd.get(), into, length);
  std::size_t received = 0;
  const int result = SSL_read_ex(peer.tls.get(), into, length, &received);
  if (result == 1) return static_cast<ssize_t>(received);
  return failed_call(peer, result);
}

ssize_t peer_send(Peer& peer, const char* bytes, std::size_t length) {
  if (!peer.tls) return ::send(peer.fd.get(), bytes, length, MSG_NOSIGNAL | MSG_DONTWAIT);
  std::size_t written = 0;
  const int result = SSL_write_ex(peer.tls.get(), bytes, length, &written);
  if (result == 1) return static_cast<ssize_t>(written);
  const ssize_t outcome = failed_call(peer, result);
  if (outcome == 0) errno = EPIPE;
  return outcome == 0 ? -1 : outcome;
}

bool advance_handshake(Peer& peer) {
  if (!peer.tls || peer.handshake_done) return true;
  const int result = SSL_do_handshake(peer.tls.get());
  if (result == 1) {
    peer.handshake_done = true;
    return true;
  }
  const int error = SSL_get_error(peer.tls.get(), result);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return false;
  throw std::runtime_error("TLS handshake failed: " + take_tls_errors("the server closed the connection"));
}

}  // namespace chatroom::bench
