// What chatroomd reloads on SIGHUP or the console's \reload: the TLS certificate and key, and
// the server password. A part that fails to load keeps its current value and says why, so a
// botched renewal never takes the server down or locks everyone out.
#pragma once

#include <optional>
#include <string>

#include "server/server_password.hpp"
#include "tls/tls_server_context.hpp"

namespace chatroom {

class ServerSecrets {
 public:
  // Loads both (either may be absent); throws std::runtime_error if one cannot be loaded.
  ServerSecrets(std::optional<TlsServerSettings> tls, std::optional<std::string> password_file);

  [[nodiscard]] const TlsServerContext* tls() const { return tls_ ? &*tls_ : nullptr; }
  [[nodiscard]] const ServerPassword* password() const { return password_ ? &*password_ : nullptr; }

  // Reloads whatever is configured, logs the outcome and returns it as lines for the console.
  std::string reload();

 private:
  std::optional<TlsServerContext> tls_;
  std::optional<std::string> password_file_;
  std::optional<ServerPassword> password_;
};

}  // namespace chatroom
