// OpenSSL keeps errors on a per-thread queue; these turn it into text and leave it empty, so
// one connection's failure is never blamed on the next one.
#pragma once

#include <string>

namespace chatroom {

// Every queued error's reason, "; "-separated (or `fallback` if the queue is empty); empties it.
std::string take_tls_errors(const char* fallback = "unknown TLS error");
void clear_tls_errors();

}  // namespace chatroom
