// IRCv3 SASL's PLAIN mechanism (RFC 4616), the server's side of it: the client's AUTHENTICATE
// chunks put back together, decoded from base64 and taken apart into who logs in and with what
// password. What the password is checked against is the session's business.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chatroom {

// The longest AUTHENTICATE parameter; one of exactly this length says that more follow.
inline constexpr std::size_t kSaslChunkBytes = 400;

struct SaslCredentials {
  std::string authzid;  // who to act as; often empty
  std::string authcid;  // who logs in
  std::string password;
};

class SaslPlainExchange {
 public:
  enum class Step {
    NeedMore,   // a full chunk: the rest follows
    Complete,   // credentials() holds what the client sent
    TooLong,    // over kSaslChunkBytes in one chunk, or more in all than PLAIN can need
    Malformed,  // not base64, or not "authzid NUL authcid NUL password" with both of the last set
  };
  // One AUTHENTICATE parameter after the mechanism was named: base64, or "+" for nothing more.
  Step take(std::string_view chunk);
  [[nodiscard]] const SaslCredentials& credentials() const { return credentials_; }

 private:
  std::string encoded_;
  SaslCredentials credentials_;
};

// Standard base64 (RFC 4648, with padding); nullopt for anything else.
[[nodiscard]] std::optional<std::string> decode_base64(std::string_view encoded);

}  // namespace chatroom
