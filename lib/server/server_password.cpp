// Reading and checking the server password.
#include "server/server_password.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chatroom {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\v\f";
// A password file is a line, not a document: refuse anything larger rather than read it.
constexpr std::size_t kMaxPasswordFileBytes = 4096;

}  // namespace

ServerPassword ServerPassword::from_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read the password file " + path);
  std::string content(kMaxPasswordFileBytes + 1, '\0');
  file.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(file.gcount()));
  if (content.size() > kMaxPasswordFileBytes) {
    throw std::runtime_error("the password file " + path + " is larger than 4096 bytes");
  }
  const std::size_t first = content.find_first_not_of(kWhitespace);
  if (first == std::string::npos) throw std::runtime_error("the password file " + path + " is empty");
  const std::size_t last = content.find_last_not_of(kWhitespace);
  return ServerPassword(std::string_view(content).substr(first, last - first + 1));
}

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
