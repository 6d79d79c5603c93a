// The chat server's centre: clients come in through the Acceptor, live in the ConnectionTable,
// and are members of the ChatHub (its rooms, names and commands). What a client's lines mean is
// its protocol's Session (the line protocol's, or another listener's); this class ties the
// rest: the context sessions run in (the hub, the password gate, flood control), how each
// close is logged and counted (server/close_reasons), the total output limit, the console's
// broadcasts and kicks, and the graceful shutdown.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "buffer/output_tally.hpp"
#include "chat/chat_hub.hpp"
#include "http/http_response.hpp"
#include "net/listener.hpp"
#include "reactor/reactor.hpp"
#include "reactor/throttled_warning.hpp"
#include "server/acceptor.hpp"
#include "server/connection.hpp"
#include "server/connection_table.hpp"
#include "server/line_session.hpp"
#include "server/password_gate.hpp"
#include "server/server_limits.hpp"
#include "server/server_stats.hpp"
#include "tls/tls_server_context.hpp"

namespace chatroom {

class ChatServer final : private ConnectionEvents, private AcceptorEvents, private TurnHook, private SessionContext {
 public:
  // `plain` may be absent when clients connect only through TLS (see accept_tls).
  ChatServer(Reactor& reactor, std::optional<Listener> plain, const ServerLimits& limits, const HubSettings& chat = {});
  ~ChatServer();
  ChatServer(const ChatServer&) = delete;
  ChatServer& operator=(const ChatServer&) = delete;

  // Also accepts line-protocol clients on `listener` (a second socket for the plain port).
  void accept_plain(Listener listener);
  // Also accepts clients on `listener`, each after a TLS handshake with `context`'s
  // certificate (which must outlive this server).
  void accept_tls(Listener listener, const TlsServerContext& context);
  // Also accepts clients that speak `protocol` on `listener`, after a TLS handshake if `tls`
  // is given. `protocol` and `tls` must outlive this server.
  void accept(Listener listener, const TlsServerContext* tls, ClientProtocol& protocol);

  // Admits a client that upgraded to WebSocket on the HTTP listener: a participant like any
  // other, its lines framed as WebSocket text messages.
  void admit_websocket(UpgradedConnection upgraded);
  [[nodiscard]] std::size_t websocket_client_count() const { return websocket_clients_; }

  // From now on, clients must send "\pass PASSWORD" before they join the chat. `password`
  // must outlive this server; when it changes (a reload), later attempts are checked against
  // the new one.
  void require_password(const ServerPassword& password, const LoginLimits& limits);
  [[nodiscard]] bool requires_password() const { return password_gate_.has_value(); }

  // The plain listener's address, or the TLS one's if there is no plain listener.
  [[nodiscard]] SocketAddress address() const;
  [[nodiscard]] std::optional<SocketAddress> tls_address() const { return acceptor_.address_of(line_protocol_, true); }
  [[nodiscard]] std::size_t client_count() const { return connections_.size(); }
  // Counters so far, connections still open included.
  [[nodiscard]] ServerStats stats() const;
  [[nodiscard]] const ChatHub& hub() const { return hub_; }
  [[nodiscard]] ChatHub& hub() override { return hub_; }
  // Output queued for all clients together, counted per recipient.
  [[nodiscard]] std::size_t queued_output_bytes() const { return queued_output_.bytes(); }
  [[nodiscard]] bool shutting_down() const { return shutdown_.has_value(); }

  // Sends "<server>:\tTEXT" to every client: the console's broadcast.
  void broadcast_from_server(std::string_view text);
  // Disconnects the client holding `nickname` (or with that "ip:port"), telling it and its
  // room why; false if there is no such client.
  bool kick(std::string_view who, std::string_view reason);

  // For the admin console's \who: one entry per client.
  struct ClientReport {
    std::string name;
    std::string address;
    std::string room;
    std::size_t queued_output_bytes = 0;
    Duration connected_for{};
  };
  [[nodiscard]] std::vector<ClientReport> client_reports() const;

  // Stops accepting, sends "\close" to every client and closes each one once its output is
  // written. `on_finished` runs once, when the last client is closed or `timeout` has passed.
  void shut_down_gracefully(Duration timeout, std::function<void()> on_finished);
  // Closes every connection at once, dropping queued output.
  void close_all_now(CloseReason reason);

 private:
  // AcceptorEvents
  void on_admitted(std::unique_ptr<Transport> transport, const SocketAddress& peer, ClientKind kind,
                   ClientProtocol& protocol) override;
  [[nodiscard]] std::size_t clients_now() const override { return connections_.size(); }
  [[nodiscard]] bool admits_host(std::string_view host) override;

  // ConnectionEvents
  void on_line(Connection& connection, std::string_view line) override;
  void on_line_too_long(Connection& connection) override;
  void on_flush_needed(Connection& connection) override { connections_.flush_soon(connection.id()); }
  void on_read_budget_exhausted(Connection& connection) override {
    connections_.read_again_next_turn(connection.id());
  }
  void on_closed(Connection& connection, CloseReason reason, std::string_view detail) override;

  // TurnHook
  void end_of_turn() override;
  [[nodiscard]] bool has_pending_work() const override { return connections_.has_pending_work(); }
  [[nodiscard]] std::optional<TimePoint> work_due_at() const override { return connections_.flush_due(); }

  // SessionContext
  [[nodiscard]] const ServerLimits& limits() const override { return limits_; }
  [[nodiscard]] Reactor& reactor() override { return reactor_; }
  [[nodiscard]] PasswordGate* password_gate() override { return password_gate_ ? &*password_gate_ : nullptr; }
  [[nodiscard]] bool admit_under_rate_limit(Connection& connection) override;
  void note_wrong_password(const Connection& connection) override;
  [[nodiscard]] std::string server_address_seen_by(const Connection& connection) const override;

  void log_close(const Connection& connection, CloseReason reason, std::string_view detail);
  // Past --max-total-output, cuts off the clients with the largest backlogs until the total is
  // under it again: they are the ones furthest behind, and each frees the most.
  void enforce_total_output_limit();
  void destroy_closed_connections();
  void finish_shutdown_if_done();

  Reactor& reactor_;
  ServerLimits limits_;
  ScratchBuffers scratch_;
  ChatHub hub_;
  LineProtocol line_protocol_;
  // Declared before the connections, whose queues report to it until they are destroyed.
  OutputTally queued_output_;
  ConnectionTable connections_;
  Acceptor acceptor_;
  std::optional<PasswordGate> password_gate_;

  struct Shutdown {
    std::function<void()> on_finished;
    TimerId deadline_timer = 0;
    bool finished = false;
  };
  std::optional<Shutdown> shutdown_;
  // Counters of closes (by close_reasons' table) and of lines; the acceptor and the password
  // gate keep their own, added up by stats().
  ServerStats stats_;
  std::size_t websocket_clients_ = 0;
  // For the closes the table says to log at most once a second.
  ThrottledWarning close_warning_{std::chrono::seconds(1)};
  ThrottledWarning password_warning_{std::chrono::seconds(1)};
};

}  // namespace chatroom
