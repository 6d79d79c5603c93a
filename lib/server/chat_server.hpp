// The chat server: accepts clients into one room, turns their lines into broadcasts, flushes
// output once per loop turn, and shuts down gracefully. Owns every Connection.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "buffer/output_tally.hpp"
#include "chat/chat_hub.hpp"
#include "http/http_response.hpp"
#include "net/listener.hpp"
#include "reactor/reactor.hpp"
#include "server/connection.hpp"
#include "server/password_gate.hpp"
#include "server/server_limits.hpp"
#include "server/server_stats.hpp"
#include "reactor/throttled_warning.hpp"
#include "tls/tls_handshake.hpp"
#include "tls/tls_server_context.hpp"

namespace chatroom {

class ChatServer final : private ConnectionEvents, private TurnHook, private TlsHandshakeEvents {
 public:
  // `plain` may be absent when clients connect only through TLS (see accept_tls).
  ChatServer(Reactor& reactor, std::optional<Listener> plain, const ServerLimits& limits, const HubSettings& chat = {});
  ~ChatServer();
  ChatServer(const ChatServer&) = delete;
  ChatServer& operator=(const ChatServer&) = delete;

  // Also accepts clients on `listener`, each after a TLS handshake with `context`'s
  // certificate (which must outlive this server).
  void accept_tls(Listener listener, const TlsServerContext& context);

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
  [[nodiscard]] const SocketAddress& address() const { return address_; }
  [[nodiscard]] std::optional<SocketAddress> tls_address() const;
  [[nodiscard]] std::size_t client_count() const { return connections_.size(); }
  // Counters so far, connections still open included.
  [[nodiscard]] ServerStats stats() const;
  [[nodiscard]] const ChatHub& hub() const { return hub_; }
  [[nodiscard]] ChatHub& hub() { return hub_; }
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
  // A listening socket, and whether its clients speak TLS.
  class Entrance final : private IoHandler {
   public:
    Entrance(ChatServer& server, Listener listener, const TlsServerContext* tls);
    ~Entrance();
    Entrance(const Entrance&) = delete;
    Entrance& operator=(const Entrance&) = delete;
    Listener listener;
    const TlsServerContext* tls;
    // At the handshake cap: stopped accepting until a handshake ends.
    bool paused = false;

   private:
    void handle_io(IoEvents events) override;
    ChatServer& server_;
    WatchId watch_;
  };

  void accept_pending(Entrance& entrance);
  void start_handshake(AcceptedSocket socket, const TlsServerContext& context);
  void resume_paused_entrances();
  // The new client's connection, or null if it was refused.
  Connection* admit(std::unique_ptr<Transport> transport, const SocketAddress& peer);
  // Tells a client why it cannot join, best effort, and closes it.
  void refuse(Transport& transport, const SocketAddress& peer, std::string_view notice);

  // TlsHandshakeEvents
  void on_handshake_done(TlsHandshake& handshake) override;
  void on_handshake_failed(TlsHandshake& handshake, TlsHandshakeFailure failure, const std::string& detail) override;
  void destroy_finished_handshakes();
  // Flood control: false (and a notice, or a disconnect) when the client is over its rate.
  bool admit_under_rate_limit(Connection& connection);
  void stop_accepting();

  // ConnectionEvents
  void on_line(Connection& connection, std::string_view line) override;
  void on_line_too_long(Connection& connection) override;
  void on_flush_needed(Connection& connection) override;
  void on_read_budget_exhausted(Connection& connection) override;
  void on_closed(Connection& connection, CloseReason reason) override;

  // TurnHook
  void end_of_turn() override;
  [[nodiscard]] bool has_pending_work() const override { return !read_again_.empty() || !flush_queue_.empty(); }

  void continue_budgeted_reads();
  void flush_pending_writes();
  // Past --max-total-output, cuts off the clients with the largest backlogs until the total is
  // under it again: they are the ones furthest behind, and each frees the most.
  void enforce_total_output_limit();
  void destroy_closed_connections();
  [[nodiscard]] std::string why_told_to_room(CloseReason reason) const;
  void finish_shutdown_if_done();

  Reactor& reactor_;
  // The plain listener first, if there is one. Empty once the server stops accepting.
  std::vector<std::unique_ptr<Entrance>> entrances_;
  SocketAddress address_;
  ServerLimits limits_;
  ScratchBuffers scratch_;
  ChatHub hub_;
  // Declared before the connections, whose queues report to it until they are destroyed.
  OutputTally queued_output_;
  struct Client {
    std::unique_ptr<Connection> connection;
    TimePoint connected_at;
    bool websocket = false;
  };
  std::unordered_map<ConnectionId, Client> connections_;
  ConnectionId next_id_ = 1;

  // Connections with output to write, oldest request first. At most a slice of them is
  // flushed per turn, so input that arrives during a long fan-out is read between slices and
  // joins the queues not yet written: under load, one write carries several broadcasts.
  // Ids, not pointers: a connection may be destroyed while it waits here.
  std::deque<ConnectionId> flush_queue_;
  // Connections whose read budget ran out, each at most once, with the turn in which it did:
  // they read again in the next turn, not in this one's end, so each gets one budget a turn.
  struct DeferredRead {
    ConnectionId id;
    std::uint64_t turn;
  };
  std::vector<DeferredRead> read_again_;
  std::uint64_t turn_ = 0;
  // Ended this turn, with what the room is told about why ("" for a plain leave).
  std::vector<std::pair<ConnectionId, std::string>> closed_;
  std::string kick_reason_;

  struct Shutdown {
    std::function<void()> on_finished;
    TimerId deadline_timer = 0;
    bool finished = false;
  };
  std::optional<Shutdown> shutdown_;
  std::optional<TimerId> accept_retry_timer_;
  // Clients whose TLS handshake is under way (or ended this turn, until the turn's end).
  std::unordered_map<ConnectionId, std::unique_ptr<TlsHandshake>> handshakes_;
  std::size_t handshakes_in_progress_ = 0;
  std::vector<ConnectionId> finished_handshakes_;
  ThrottledWarning protocol_warning_{std::chrono::seconds(1)};
  ThrottledWarning handshake_warning_{std::chrono::seconds(1)};
  ThrottledWarning password_warning_{std::chrono::seconds(1)};
  // Clients per IP address, kept only when --max-per-ip is set.
  std::unordered_map<std::string, std::size_t> clients_per_host_;
  ThrottledWarning refusal_warning_{std::chrono::seconds(1)};
  ThrottledWarning descriptor_warning_{std::chrono::seconds(1)};
  std::optional<PasswordGate> password_gate_;
  ServerStats stats_;
  std::size_t websocket_clients_ = 0;
};

}  // namespace chatroom
