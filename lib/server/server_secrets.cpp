// Loading and reloading the certificate and the password.
#include "server/server_secrets.hpp"

#include <spdlog/spdlog.h>

namespace chatroom {

ServerSecrets::ServerSecrets(std::optional<TlsServerSettings> tls, std::optional<std::string> password_file)
    : password_file_(std::move(password_file)) {
  if (tls) tls_.emplace(std::move(*tls));
  if (password_file_) password_.emplace(ServerPassword::from_file(*password_file_));
}

std::string ServerSecrets::reload() {
  std::string report;
  if (tls_) {
    if (const std::optional<std::string> error = tls_->reload()) {
      spdlog::error("TLS certificate not reloaded, still using the previous one: {}", *error);
      report += "TLS certificate NOT reloaded (still the previous one): " + *error + "\n";
    } else {
      spdlog::info("TLS certificate reloaded: {}; new handshakes use it", tls_->certificate_summary());
      report += "TLS certificate reloaded: " + tls_->certificate_summary() + "\n";
    }
  }
  if (password_file_) {
    try {
      // Assigned in place: the gate keeps referring to the same object.
      *password_ = ServerPassword::from_file(*password_file_);
      spdlog::info("server password reloaded from {}", *password_file_);
      report += "server password reloaded from " + *password_file_ + "\n";
    } catch (const std::exception& error) {
      spdlog::error("server password not reloaded, still using the previous one: {}", error.what());
      report += std::string("server password NOT reloaded (still the previous one): ") + error.what() + "\n";
    }
  }
  if (report.empty()) report = "nothing to reload: no --tls-cert and no --password-file\n";
  return report;
}

}  // namespace chatroom
