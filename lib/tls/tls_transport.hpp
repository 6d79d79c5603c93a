// A Connection's socket after a completed TLS handshake. Reads go through SSL_read_ex until
// OpenSSL has nothing left (its buffer and the socket both empty, which edge-triggering needs);
// writes coalesce queued chunks into records of up to 16 KiB, never one record per message.
// With kernel TLS the kernel encrypts, and writes take the plain gathered sendmsg path again.
#pragma once

#include "net/unique_fd.hpp"
#include "tls/openssl_handles.hpp"
#include "transport/transport.hpp"

namespace chatroom {

class TlsTransport final : public Transport {
 public:
  // The largest plaintext one TLS record carries.
  static constexpr std::size_t kMaxRecordBytes = 16384;

  // `session` has finished its handshake over `socket`.
  TlsTransport(UniqueFd socket, SslHandle session);
  ~TlsTransport() override;

  [[nodiscard]] int fd() const override { return socket_.get(); }
  IoResult receive(std::span<char> into) override;
  IoResult send(const OutputQueue& output, std::span<char> staging) override;
  void shut_down_write() override;
  [[nodiscard]] bool reading_waits_for_writable() const override { return reading_waits_for_writable_; }
  [[nodiscard]] bool writing_waits_for_readable() const override { return writing_waits_for_readable_; }

  // Whether the kernel encrypts this session's output (kTLS).
  [[nodiscard]] bool kernel_encrypts() const { return kernel_encrypts_; }
  [[nodiscard]] SSL* session() const { return session_.get(); }

 private:
  enum class Direction { Readable, Writable };
  // WouldBlock, EndOfFile or Failed for an SSL call that did not succeed; for WouldBlock,
  // `waits_for` says which readiness OpenSSL needs.
  IoResult outcome_of_failed_call(int result, Direction& waits_for);

  UniqueFd socket_;
  SslHandle session_;
  bool kernel_encrypts_ = false;
  bool reading_waits_for_writable_ = false;
  bool writing_waits_for_readable_ = false;
  bool close_notify_sent_ = false;
};

}  // namespace chatroom
