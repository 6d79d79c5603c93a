// A blocking TLS chat client for tests, written on OpenSSL directly (not on the code under
// test): connect, verify against the test CA, send, read lines with a deadline.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/unique_fd.hpp"
#include "support/line_reader.hpp"

namespace chatroom::testing {

class TlsTestClient final : public LineReader {
 public:
  // Connects to `host`:`port`, runs the handshake trusting only `ca_file` (and checking that
  // the certificate names 127.0.0.1), and unless told not to reads the welcome line. Throws
  // if any of that fails.
  TlsTestClient(std::uint16_t port, const std::string& ca_file, const std::string& host = "127.0.0.1",
                bool read_welcome = true);
  ~TlsTestClient();
  TlsTestClient(const TlsTestClient&) = delete;
  TlsTestClient& operator=(const TlsTestClient&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& welcome() const { return welcome_; }
  // The serial of the certificate the server presented, upper-case hex.
  [[nodiscard]] std::string peer_serial() const;
  [[nodiscard]] std::string protocol_version() const;

  void send(const std::string& bytes);
  // Writes bytes straight to the socket, past TLS: a forged or truncated record.
  void send_raw(const std::string& bytes);
  // Goes away without a close_notify alert: the TCP connection just closes.
  void close_without_notify();
  // Goes away with RST.
  void reset();
  void set_receive_buffer(int bytes);

 private:
  Received receive_some(std::string& into, Deadline deadline) override;

  struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
  };
  struct ContextFree {
    void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
  };
  std::unique_ptr<SSL_CTX, ContextFree> context_;
  UniqueFd fd_;
  std::unique_ptr<SSL, SslFree> ssl_;
  std::string name_;
  std::string welcome_;
};

// "<NAME>:\tTEXT\n", the line others receive when `name` says `text`.
std::string chat_line_from(const std::string& name, const std::string& text);

}  // namespace chatroom::testing
