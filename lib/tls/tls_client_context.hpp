// The client's side of TLS: which certificates it trusts (the system's store, or one CA file)
// and the handshake that checks the server's certificate and name before any chat begins.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "net/unique_fd.hpp"
#include "tls/openssl_handles.hpp"
#include "tls/tls_transport.hpp"

namespace chatroom {

class TlsClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TlsClientSettings {
  // Trust only the CAs in this PEM file; without it, the system's store.
  std::optional<std::string> ca_file;
  // Check the server's certificate and name. Off only for load tools (chatroom-bench).
  bool verify = true;
};

class TlsClientContext {
 public:
  // Throws TlsClientError if the CA file cannot be loaded.
  explicit TlsClientContext(const TlsClientSettings& settings);

  // Runs the handshake over the connected non-blocking `socket`, waiting at most `timeout`,
  // and checks that the certificate is trusted and names `host` (a name or an IP address).
  // Throws TlsClientError with one clear line, e.g. "certificate for HOST is not trusted:
  // certificate has expired".
  std::unique_ptr<TlsTransport> handshake(UniqueFd socket, const std::string& host,
                                          std::chrono::milliseconds timeout) const;

  // A session for `socket` that the caller drives itself (the load tool's many at once).
  SslHandle new_session(int fd, const std::string& host) const;

 private:
  SslContextHandle context_;
  bool verify_;
};

}  // namespace chatroom
