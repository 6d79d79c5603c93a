// OpenSSL on a non-blocking socket with poll() deadlines, so a broken server fails a test
// instead of hanging it.
#include "support/tls_test_client.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include <stdexcept>

#include "net/socket_address.hpp"
#include "net/socket_io.hpp"

namespace chatroom::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until the socket is ready for what OpenSSL asked for; false at the deadline.
bool wait_for(int fd, SSL* ssl, int result, Clock::time_point deadline) {
  const int error = SSL_get_error(ssl, result);
  short events = 0;
  if (error == SSL_ERROR_WANT_READ) {
    events = POLLIN;
  } else if (error == SSL_ERROR_WANT_WRITE) {
    events = POLLOUT;
  } else {
    return false;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return false;
  pollfd poller{fd, events, 0};
  return ::poll(&poller, 1, static_cast<int>(left.count())) > 0;
}

}  // namespace

TlsTestClient::TlsTestClient(std::uint16_t port, const std::string& ca_file, const std::string& host,
                             bool read_welcome) {
  context_.reset(SSL_CTX_new(TLS_client_method()));
  if (!context_) throw std::runtime_error("SSL_CTX_new failed");
  SSL_CTX_set_verify(context_.get(), SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(context_.get(), ca_file.c_str(), nullptr) != 1) {
    throw std::runtime_error("cannot load " + ca_file);
  }
  const SocketAddress address = SocketAddress::parse(host, port);
  fd_ = UniqueFd(::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd_ || ::connect(fd_.get(), address.data(), address.size()) != 0) {
    throw std::runtime_error("connect to " + address.to_string() + " failed");
  }
  name_ = SocketAddress::local_of(fd_.get()).to_string();
  set_nonblocking(fd_.get());
  ssl_.reset(SSL_new(context_.get()));
  SSL_set_fd(ssl_.get(), fd_.get());
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_.get()), host.c_str());
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  for (;;) {
    ERR_clear_error();
    const int result = SSL_connect(ssl_.get());
    if (result == 1) break;
    if (!wait_for(fd_.get(), ssl_.get(), result, deadline)) {
      std::string why = X509_verify_cert_error_string(SSL_get_verify_result(ssl_.get()));
      ERR_clear_error();
      throw std::runtime_error("TLS handshake with " + address.to_string() + " failed (verify: " + why + ")");
    }
  }
  if (read_welcome) {
    const auto line = read_line();
    if (!line) throw std::runtime_error("no welcome line over TLS");
    welcome_ = *line;
  }
}

TlsTestClient::~TlsTestClient() = default;

std::string TlsTestClient::peer_serial() const {
  X509* certificate = SSL_get1_peer_certificate(ssl_.get());
  if (certificate == nullptr) return {};
  BIGNUM* number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
  char* hex = BN_bn2hex(number);
  std::string serial = hex;
  OPENSSL_free(hex);
  BN_free(number);
  X509_free(certificate);
  return serial;
}

std::string TlsTestClient::protocol_version() const { return SSL_get_version(ssl_.get()); }

void TlsTestClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (sent < bytes.size()) {
    ERR_clear_error();
    std::size_t written = 0;
    const int result = SSL_write_ex(ssl_.get(), bytes.data() + sent, bytes.size() - sent, &written);
    if (result == 1) {
      sent += written;
    } else if (!wait_for(fd_.get(), ssl_.get(), result, deadline)) {
      ERR_clear_error();
      throw std::runtime_error("TLS send failed");
    }
  }
}

void TlsTestClient::send_raw(const std::string& bytes) {
  ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

LineReader::Received TlsTestClient::receive_some(std::string& into, Deadline deadline) {
  for (;;) {
    char chunk[16384];
    std::size_t received = 0;
    ERR_clear_error();
    const int result = SSL_read_ex(ssl_.get(), chunk, sizeof(chunk), &received);
    if (result == 1) {
      into.append(chunk, received);
      return Received::Bytes;
    }
    const int error = SSL_get_error(ssl_.get(), result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
      ERR_clear_error();
      return Received::End;
    }
    if (!wait_for(fd_.get(), ssl_.get(), result, deadline)) return Received::Nothing;
  }
}

void TlsTestClient::close_without_notify() {
  ssl_.reset();  // SSL_free sends nothing
  fd_.reset();
}

void TlsTestClient::reset() {
  const linger abort_on_close{1, 0};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
  close_without_notify();
}

void TlsTestClient::set_receive_buffer(int bytes) {
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

std::string chat_line_from(const std::string& name, const std::string& text) {
  return "<" + name + ">:\t" + text + "\n";
}

}  // namespace chatroom::testing
