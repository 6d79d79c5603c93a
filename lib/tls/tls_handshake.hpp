// One accepted client on the TLS listener, from accept until its handshake is done: the
// session is driven by socket readiness (never blocking), has its own deadline, and a client
// that speaks plain text is told so and dropped. It never frees itself: the owner hears how
// it ended through TlsHandshakeEvents and destroys it after the current turn.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/listener.hpp"
#include "reactor/reactor.hpp"
#include "tls/openssl_handles.hpp"
#include "tls/tls_transport.hpp"

namespace chatroom {

class TlsHandshake;

enum class TlsHandshakeFailure {
  PlainText,    // the client spoke plain text, not TLS
  Refused,      // a TLS error: no shared version or cipher, a bad record, an alert
  TimedOut,     // --tls-handshake-timeout passed
  Disconnected, // the client closed or reset the connection
};

class TlsHandshakeEvents {
 public:
  // The session is ready: take_transport() hands it over.
  virtual void on_handshake_done(TlsHandshake& handshake) = 0;
  // The socket is closed already; `detail` says what OpenSSL said.
  virtual void on_handshake_failed(TlsHandshake& handshake, TlsHandshakeFailure failure,
                                   const std::string& detail) = 0;

 protected:
  ~TlsHandshakeEvents() = default;
};

class TlsHandshake final : private IoHandler {
 public:
  TlsHandshake(std::uint64_t id, AcceptedSocket socket, SslHandle session, Reactor& reactor,
               TlsHandshakeEvents& events, Duration timeout);
  ~TlsHandshake();
  TlsHandshake(const TlsHandshake&) = delete;
  TlsHandshake& operator=(const TlsHandshake&) = delete;

  // Tries the first step at once (the ClientHello may be waiting already); events may fire
  // from within, so the owner calls this once it has stored the handshake.
  void start();

  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] const SocketAddress& peer() const { return peer_; }
  [[nodiscard]] bool finished() const { return finished_; }

  // After on_handshake_done: the socket and session, no longer watched by this object.
  std::unique_ptr<TlsTransport> take_transport();

 private:
  void handle_io(IoEvents events) override;
  void advance();
  enum class FirstByte { NotYet, Tls, PlainText };
  // Looks at the client's first byte without taking it; a client that is not speaking TLS is
  // told so and dropped (PlainText).
  FirstByte check_first_byte();
  void fail(TlsHandshakeFailure failure, const std::string& detail);
  void stop();

  std::uint64_t id_;
  UniqueFd socket_;
  SocketAddress peer_;
  SslHandle session_;
  Reactor& reactor_;
  TlsHandshakeEvents& events_;
  Duration timeout_;
  WatchId watch_;
  bool watching_ = false;
  std::optional<TimerId> deadline_;
  bool first_byte_checked_ = false;
  bool finished_ = false;
};

}  // namespace chatroom
