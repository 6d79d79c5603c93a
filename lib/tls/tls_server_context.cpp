// Loading, checking and reloading the server's certificate and key.
#include "tls/tls_server_context.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "net/unique_fd.hpp"
#include "tls/tls_errors.hpp"

namespace chatroom {
namespace {

std::string name_of(const X509_NAME* name) {
  std::array<char, 256> text{};
  X509_NAME_oneline(name, text.data(), static_cast<int>(text.size()));
  return text.data();
}

std::string serial_of(const X509* certificate) {
  BIGNUM* number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
  if (number == nullptr) return "?";
  char* hex = BN_bn2hex(number);
  std::string serial = hex != nullptr ? hex : "?";
  OPENSSL_free(hex);
  BN_free(number);
  return serial;
}

std::string time_of(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "?";
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text.data();
}

// A private key others can read is a key others may have copied.
void warn_if_key_readable_by_others(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return;
  if ((status.st_mode & (S_IROTH | S_IWOTH)) != 0) {
    spdlog::warn("TLS key {} is readable by other users (mode {:o}): chmod 600 it, or pass it with systemd's "
                 "LoadCredential=",
                 path, status.st_mode & 0777);
  }
}

}  // namespace

TlsServerContext::TlsServerContext(TlsServerSettings settings) : settings_(std::move(settings)) {
  context_ = load();
}

SslContextHandle TlsServerContext::load() const {
  clear_tls_errors();
  SslContextHandle context(SSL_CTX_new(TLS_server_method()));
  if (!context) throw std::runtime_error("cannot create a TLS context: " + take_tls_errors());
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  // Renegotiation lets a client make us redo the costliest step at will; TLS 1.3 has none.
  std::uint64_t options = SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF;
  if (settings_.kernel_tls) options |= SSL_OP_ENABLE_KTLS;
  SSL_CTX_set_options(context.get(), options);
  // Partial writes: a record written is progress, whatever follows it. Moving buffer: each
  // retry copies the queue's front into the shared staging buffer again. Release buffers:
  // an idle session gives its record buffers back (measured with 5,000 idle clients: 14.5
  // instead of 23.5 KiB each; docs/performance.md).
  SSL_CTX_set_mode(context.get(),
                   SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  // The key first: loading a certificate that does not match it then drops the key quietly,
  // and the check below says plainly what is wrong.
  if (SSL_CTX_use_PrivateKey_file(context.get(), settings_.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error("cannot load the TLS key " + settings_.key_file + ": " + take_tls_errors());
  }
  if (SSL_CTX_use_certificate_chain_file(context.get(), settings_.certificate_file.c_str()) != 1) {
    throw std::runtime_error("cannot load the TLS certificate " + settings_.certificate_file + ": " +
                             take_tls_errors());
  }
  if (SSL_CTX_check_private_key(context.get()) != 1) {
    throw std::runtime_error("the TLS key " + settings_.key_file + " does not belong to the certificate " +
                             settings_.certificate_file + ": " + take_tls_errors());
  }
  warn_if_key_readable_by_others(settings_.key_file);
  return context;
}

std::optional<std::string> TlsServerContext::reload() {
  try {
    context_ = load();
  } catch (const std::exception& error) {
    return std::string(error.what());
  }
  summary_.clear();
  return std::nullopt;
}

const std::string& TlsServerContext::certificate_summary() const {
  if (summary_.empty()) {
    const X509* certificate = SSL_CTX_get0_certificate(context_.get());
    if (certificate != nullptr) {
      summary_ = name_of(X509_get_subject_name(certificate)) + ", serial " + serial_of(certificate) +
                 ", valid until " + time_of(X509_get0_notAfter(certificate));
      if (X509_cmp_current_time(X509_get0_notAfter(certificate)) < 0) summary_.append(" (EXPIRED)");
    }
  }
  return summary_;
}

SslHandle TlsServerContext::new_session(int fd) const {
  clear_tls_errors();
  SslHandle session(SSL_new(context_.get()));
  if (!session || SSL_set_fd(session.get(), fd) != 1) {
    clear_tls_errors();
    return nullptr;
  }
  SSL_set_accept_state(session.get());
  return session;
}

bool kernel_offers_tls() {
  // The only sure test: attach the "tls" upper layer protocol to a connected TCP socket (the
  // kernel loads the module on demand if it has one). A loopback pair, closed at once.
  UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listener.get(), 1) != 0 ||
      ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return false;
  }
  UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!client || ::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return false;
  constexpr std::string_view kUpperLayer = "tls";
  return ::setsockopt(client.get(), IPPROTO_TCP, TCP_ULP, kUpperLayer.data(),
                      static_cast<socklen_t>(kUpperLayer.size())) == 0;
}

}  // namespace chatroom
