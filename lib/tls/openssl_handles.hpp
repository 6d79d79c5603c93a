// Owning handles for OpenSSL objects, so no SSL or SSL_CTX is ever freed by hand.
#pragma once

#include <openssl/ssl.h>

#include <memory>

namespace chatroom {

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct SslContextFree {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};

using SslHandle = std::unique_ptr<SSL, SslFree>;
using SslContextHandle = std::unique_ptr<SSL_CTX, SslContextFree>;

}  // namespace chatroom
