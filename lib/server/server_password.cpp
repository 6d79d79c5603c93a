// Reading and checking the server password.
#include "server/server_password.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "net/secret_file.hpp"

namespace chatroom {

ServerPassword ServerPassword::from_file(const std::string& path) { return ServerPassword(read_secret_file(path)); }

ServerPassword::ServerPassword(std::string_view password) : digest_(digest_of(password)) {}

ServerPassword::Digest ServerPassword::digest_of(std::string_view text) {
  Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("SHA-256 is not available");
  }
  return digest;
}

bool ServerPassword::matches(std::string_view attempt) const {
  const Digest attempt_digest = digest_of(attempt);
  return CRYPTO_memcmp(attempt_digest.data(), digest_.data(), digest_.size()) == 0;
}

}  // namespace chatroom
