// A socket in the clear: reads with read(), writes queued chunks with one gathered sendmsg.
// Also how a kernel-TLS socket writes: the kernel encrypts what sendmsg hands it.
#pragma once

#include "net/unique_fd.hpp"
#include "transport/transport.hpp"

namespace chatroom {

class PlainTransport final : public Transport {
 public:
  enum class TlsClients {
    Allowed,
    // A peer whose first bytes are a TLS handshake record is refused: receive() fails with
    // IoFailure::TlsOnPlainPort (the server's plain port).
    Refused,
  };

  explicit PlainTransport(UniqueFd socket, TlsClients tls_clients = TlsClients::Allowed)
      : socket_(std::move(socket)), check_first_bytes_(tls_clients == TlsClients::Refused) {}

  [[nodiscard]] int fd() const override { return socket_.get(); }
  IoResult receive(std::span<char> into) override;
  IoResult send(const OutputQueue& output, std::span<char> staging) override;
  void shut_down_write() override;

 private:
  UniqueFd socket_;
  bool check_first_bytes_;
};

// The gathered write itself, shared with the TLS transport once the kernel encrypts for it.
IoResult send_queued_output(int fd, const OutputQueue& output, std::span<char> staging);

}  // namespace chatroom
