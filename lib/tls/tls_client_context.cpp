// Client-side TLS set-up and a handshake that waits with poll(), for a client's one socket.
#include "tls/tls_client_context.hpp"

#include <arpa/inet.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <cerrno>
#include <cstring>

#include "tls/tls_errors.hpp"

namespace chatroom {
namespace {

bool is_ip_address(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), address) == 1 || ::inet_pton(AF_INET6, host.c_str(), address) == 1;
}

}  // namespace

TlsClientContext::TlsClientContext(const TlsClientSettings& settings) : verify_(settings.verify) {
  clear_tls_errors();
  context_.reset(SSL_CTX_new(TLS_client_method()));
  if (!context_) throw TlsClientError("cannot create a TLS context: " + take_tls_errors());
  SSL_CTX_set_min_proto_version(context_.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(context_.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(context_.get(),
                   SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  if (!verify_) {
    SSL_CTX_set_verify(context_.get(), SSL_VERIFY_NONE, nullptr);
    return;
  }
  SSL_CTX_set_verify(context_.get(), SSL_VERIFY_PEER, nullptr);
  const bool loaded = settings.ca_file
                          ? SSL_CTX_load_verify_locations(context_.get(), settings.ca_file->c_str(), nullptr) == 1
                          : SSL_CTX_set_default_verify_paths(context_.get()) == 1;
  if (!loaded) {
    throw TlsClientError(settings.ca_file ? "cannot load the CA file " + *settings.ca_file + ": " + take_tls_errors()
                                          : "cannot load the system's trusted certificates: " + take_tls_errors());
  }
}

SslHandle TlsClientContext::new_session(int fd, const std::string& host) const {
  clear_tls_errors();
  SslHandle session(SSL_new(context_.get()));
  if (!session || SSL_set_fd(session.get(), fd) != 1) {
    throw TlsClientError("cannot create a TLS session: " + take_tls_errors());
  }
  SSL_set_connect_state(session.get());
  if (is_ip_address(host)) {
    // An address is checked against the certificate's IP entries; SNI carries names only.
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(session.get()), host.c_str());
  } else {
    // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
    SSL_ctrl(session.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(host.c_str()));
    SSL_set1_host(session.get(), host.c_str());
  }
  return session;
}

std::unique_ptr<TlsTransport> TlsClientContext::handshake(UniqueFd socket, const std::string& host,
                                                          std::chrono::milliseconds timeout) const {
  SslHandle session = new_session(socket.get(), host);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    clear_tls_errors();
    const int result = SSL_do_handshake(session.get());
    if (result == 1) break;
    const int saved_errno = errno;
    short wanted = 0;
    switch (SSL_get_error(session.get(), result)) {
      case SSL_ERROR_WANT_READ:
        wanted = POLLIN;
        break;
      case SSL_ERROR_WANT_WRITE:
        wanted = POLLOUT;
        break;
      case SSL_ERROR_SYSCALL:
        clear_tls_errors();
        throw TlsClientError("TLS handshake with " + host + " failed: " +
                             (saved_errno == 0 ? std::string("the server closed the connection (is this its TLS port?)")
                                               : std::string(std::strerror(saved_errno))));
      default: {
        const long verdict = SSL_get_verify_result(session.get());
        if (verify_ && verdict != X509_V_OK) {
          clear_tls_errors();
          throw TlsClientError("certificate for " + host + " is not trusted: " +
                               X509_verify_cert_error_string(verdict));
        }
        throw TlsClientError("TLS handshake with " + host + " failed: " + take_tls_errors() +
                             " (is this the server's TLS port?)");
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw TlsClientError("TLS handshake with " + host + " timed out");
    pollfd waiting{socket.get(), wanted, 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) throw TlsClientError(std::string("poll: ") + std::strerror(errno));
  }
  return std::make_unique<TlsTransport>(std::move(socket), std::move(session));
}

}  // namespace chatroom
