// Draining OpenSSL's error queue.
#include "tls/tls_errors.hpp"

#include <openssl/err.h>

#include <array>

namespace chatroom {

std::string take_tls_errors(const char* fallback) {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    if (!text.empty()) text.append("; ");
    if (const char* reason = ERR_reason_error_string(code)) {
      text.append(reason);  // "certificate verify failed", without the codes around it
    } else {
      std::array<char, 256> full{};
      ERR_error_string_n(code, full.data(), full.size());
      text.append(full.data());
    }
  }
  return text.empty() ? std::string(fallback) : text;
}

void clear_tls_errors() { ERR_clear_error(); }

}  // namespace chatroom
