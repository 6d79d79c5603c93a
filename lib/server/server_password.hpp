// The server password clients must send with "\pass" before they may chat. Only its SHA-256
// digest is kept, and attempts are compared digest to digest in constant time
// (CRYPTO_memcmp), so neither the password's bytes nor its length leak through timing.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace chatroom {

class ServerPassword {
 public:
  // Reads the file (read_secret_file: trimmed; throws naming the file if it holds none).
  static ServerPassword from_file(const std::string& path);
  explicit ServerPassword(std::string_view password);

  [[nodiscard]] bool matches(std::string_view attempt) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  static Digest digest_of(std::string_view text);

  Digest digest_;
};

}  // namespace chatroom
