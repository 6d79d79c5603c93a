// The way in, as muduo splits its Acceptor from its TcpServer: the listening sockets (plain
// and TLS), the accept loop with its retry when the kernel refuses, TLS handshakes until they
// are done, and admission (how many clients at once, how many from one address, addresses
// locked out for guessing passwords). Each entrance speaks one ClientProtocol. A client let in
// is handed to AcceptorEvents as a transport with its entrance's protocol; one refused is told
// why in that protocol's words and closed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "buffer/scratch_buffers.hpp"
#include "net/listener.hpp"
#include "reactor/reactor.hpp"
#include "reactor/throttled_warning.hpp"
#include "server/server_limits.hpp"
#include "server/session.hpp"
#include "tls/tls_handshake.hpp"
#include "tls/tls_server_context.hpp"
#include "transport/transport.hpp"

namespace chatroom {

// Which way a client came in.
enum class ClientKind : std::uint8_t { Plain, Tls, WebSocket };

struct AcceptorCounters {
  std::uint64_t refused_server_full = 0;
  std::uint64_t refused_per_ip = 0;
  std::uint64_t refused_out_of_descriptors = 0;
  std::uint64_t tls_handshakes = 0;
  std::uint64_t tls_kernel_sessions = 0;
  std::uint64_t tls_handshakes_failed = 0;
  std::uint64_t tls_handshake_timeouts = 0;
  std::uint64_t plain_text_on_tls_port = 0;
};

class AcceptorEvents {
 public:
  // A client let in, its socket configured. Clients that may have sent input with their way
  // in (the last TLS handshake record, frames behind a WebSocket upgrade) must be read now:
  // no edge will announce what is buffered already.
  virtual void on_admitted(std::unique_ptr<Transport> transport, const SocketAddress& peer, ClientKind kind,
                           ClientProtocol& protocol) = 0;
  [[nodiscard]] virtual std::size_t clients_now() const = 0;
  // Whether a client from `host` (see host_part) may try at all (not locked out for wrong
  // passwords).
  [[nodiscard]] virtual bool admits_host(std::string_view host) = 0;

 protected:
  ~AcceptorEvents() = default;
};

class Acceptor final : private TlsHandshakeEvents {
 public:
  // `limits` and `scratch` must outlive the acceptor.
  Acceptor(Reactor& reactor, AcceptorEvents& events, const ServerLimits& limits, ScratchBuffers& scratch);
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Accepts on `listener` clients that speak `protocol`; with `tls` each after a TLS handshake
  // with its certificate. Both must outlive the acceptor.
  void listen(Listener listener, const TlsServerContext* tls, ClientProtocol& protocol);
  // Admission for a client that came another way (a WebSocket upgrade on the HTTP listener).
  void admit(std::unique_ptr<Transport> transport, const SocketAddress& peer, ClientKind kind,
             ClientProtocol& protocol);
  // A client let in has gone: it no longer counts against its address's limit. `address` as
  // SocketAddress::to_string() writes it.
  void forget(std::string_view address);
  // Closes the listeners and drops the handshakes under way; nobody else gets in.
  void stop();

  // The first listener's address for `protocol`, with TLS or without; known after stop() too.
  [[nodiscard]] std::optional<SocketAddress> address_of(const ClientProtocol& protocol, bool tls) const;
  [[nodiscard]] const AcceptorCounters& counters() const { return counters_; }

  // Once per loop turn: frees the handshakes that ended, and lets a TLS listener paused at
  // the handshake cap accept again if some did.
  void end_of_turn();

 private:
  // A listening socket, and whether its clients speak TLS.
  class Entrance final : private IoHandler {
   public:
    Entrance(Acceptor& acceptor, Listener listener, const TlsServerContext* tls, ClientProtocol& protocol);
    ~Entrance();
    Entrance(const Entrance&) = delete;
    Entrance& operator=(const Entrance&) = delete;
    Listener listener;
    const TlsServerContext* tls;
    ClientProtocol& protocol;
    // At the handshake cap: stopped accepting until a handshake ends.
    bool paused = false;

   private:
    void handle_io(IoEvents events) override;
    Acceptor& acceptor_;
    WatchId watch_;
  };

  void accept_pending(Entrance& entrance);
  void retry_accepting_soon();
  void start_handshake(AcceptedSocket socket, const TlsServerContext& context, ClientProtocol& protocol);
  // Tells a client why it cannot join, best effort, and closes it.
  void refuse(Transport& transport, const SocketAddress& peer, const ClientProtocol& protocol, std::string_view why);

  // TlsHandshakeEvents
  void on_handshake_done(TlsHandshake& handshake) override;
  void on_handshake_failed(TlsHandshake& handshake, TlsHandshakeFailure failure, const std::string& detail) override;

  Reactor& reactor_;
  AcceptorEvents& events_;
  const ServerLimits& limits_;
  ScratchBuffers& scratch_;
  // Empty once stopped; the addresses stay known.
  std::vector<std::unique_ptr<Entrance>> entrances_;
  struct KnownAddress {
    const ClientProtocol* protocol;
    bool tls;
    SocketAddress address;
  };
  std::vector<KnownAddress> addresses_;
  std::optional<TimerId> accept_retry_timer_;
  // Clients whose TLS handshake is under way (or ended this turn, until the turn's end).
  struct Handshake {
    std::unique_ptr<TlsHandshake> handshake;
    ClientProtocol* protocol;
  };
  std::unordered_map<std::uint64_t, Handshake> handshakes_;
  std::uint64_t next_handshake_id_ = 1;
  std::size_t handshakes_in_progress_ = 0;
  std::vector<std::uint64_t> finished_handshakes_;
  // Clients per IP address, kept only when --max-per-ip is set.
  std::unordered_map<std::string, std::size_t> clients_per_host_;
  AcceptorCounters counters_;
  ThrottledWarning descriptor_warning_{std::chrono::seconds(1)};
  ThrottledWarning refusal_warning_{std::chrono::seconds(1)};
  ThrottledWarning handshake_warning_{std::chrono::seconds(1)};
  ThrottledWarning plain_text_warning_{std::chrono::seconds(1)};
};

}  // namespace chatroom
