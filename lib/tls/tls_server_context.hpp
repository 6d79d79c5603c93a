// The server's certificate, key and TLS settings: what every new handshake on the TLS
// listener uses. Reloading swaps in new files only if they load; sessions already running
// keep a reference to the context they started with, so no connection drops.
#pragma once

#include <optional>
#include <string>

#include "tls/openssl_handles.hpp"

namespace chatroom {

struct TlsServerSettings {
  std::string certificate_file;  // PEM, the server's certificate followed by its chain
  std::string key_file;          // PEM
  // Ask OpenSSL to hand the record layer to the kernel (kTLS) after each handshake, where
  // the kernel and the cipher allow it.
  bool kernel_tls = true;
};

class TlsServerContext {
 public:
  // Throws std::runtime_error saying which file is wrong and why.
  explicit TlsServerContext(TlsServerSettings settings);

  // Loads the files again. On failure the current certificate stays and the error is returned.
  std::optional<std::string> reload();

  // A server-side session for an accepted, non-blocking socket; null if OpenSSL cannot make one.
  SslHandle new_session(int fd) const;

  [[nodiscard]] const TlsServerSettings& settings() const { return settings_; }
  // "subject CN=..., serial ..., valid until ...", for the log.
  [[nodiscard]] const std::string& certificate_summary() const;

 private:
  // Builds a context from the files, or throws.
  SslContextHandle load() const;

  TlsServerSettings settings_;
  SslContextHandle context_;
  mutable std::string summary_;  // made when first asked for
};

// Whether the running kernel can take over TLS records (the "tls" TCP upper layer protocol).
bool kernel_offers_tls();

}  // namespace chatroom
