// Accepting, broadcasting, the end-of-turn flush and graceful shutdown.
#include "server/chat_server.hpp"

#include <algorithm>
#include <cstring>
#include <spdlog/spdlog.h>

#include "net/socket_options.hpp"
#include "protocol/line_kind.hpp"
#include "protocol/wire_format.hpp"
#include "transport/plain_transport.hpp"
#include "websocket/websocket_transport.hpp"

namespace chatroom {
namespace {

constexpr std::size_t kReadScratchBytes = std::size_t{64} << 10;  // the most one read takes
// After an accept error that leaves connections queued (ENOBUFS, ENOMEM), try again soon
// rather than wait for an edge that may never come.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
// Connections flushed per loop turn before input is looked at again. Large enough that the
// extra epoll_wait per slice is noise, small enough that a fan-out to tens of thousands of
// clients does not keep new messages waiting for the whole round.
constexpr std::size_t kConnectionsFlushedPerTurn = 256;

std::string server_address_seen_by(int socket_fd, const SocketAddress& fallback) {
  try {
    return SocketAddress::local_of(socket_fd).to_string();
  } catch (const std::system_error&) {
    return fallback.to_string();
  }
}

// "ip:port" or "[v6]:port" without the port.
std::string host_of(const std::string& name) { return name.substr(0, name.rfind(':')); }

}  // namespace

ChatServer::Entrance::Entrance(ChatServer& server, Listener listener_socket, const TlsServerContext* tls_context)
    : listener(std::move(listener_socket)), tls(tls_context), server_(server) {
  watch_ = server_.reactor_.watch(listener.fd(), WatchMode::EdgeTriggered, *this);
}

ChatServer::Entrance::~Entrance() { server_.reactor_.unwatch(watch_); }

void ChatServer::Entrance::handle_io(IoEvents events) {
  if (events.readable || events.error) server_.accept_pending(*this);
}

ChatServer::ChatServer(Reactor& reactor, std::optional<Listener> plain, const ServerLimits& limits,
                       const HubSettings& chat)
    : reactor_(reactor),
      limits_(limits),
      scratch_(std::min(kReadScratchBytes, std::max<std::size_t>(limits.read_budget_bytes, 1))),
      hub_(chat) {
  if (limits_.max_clients == 0) limits_.max_clients = SIZE_MAX;
  if (plain) {
    address_ = plain->address();
    entrances_.push_back(std::make_unique<Entrance>(*this, std::move(*plain), nullptr));
  }
  reactor_.add_turn_hook(*this);
}

ChatServer::~ChatServer() {
  stop_accepting();
  // Connections unwatch themselves as they are destroyed.
  connections_.clear();
}

void ChatServer::accept_tls(Listener listener, const TlsServerContext& context) {
  if (entrances_.empty()) address_ = listener.address();
  entrances_.push_back(std::make_unique<Entrance>(*this, std::move(listener), &context));
}

void ChatServer::require_password(const ServerPassword& password, const LoginLimits& limits) {
  password_gate_.emplace(reactor_, password, limits);
}

std::optional<SocketAddress> ChatServer::tls_address() const {
  for (const auto& entrance : entrances_) {
    if (entrance->tls != nullptr) return entrance->listener.address();
  }
  return std::nullopt;
}

void ChatServer::accept_pending(Entrance& entrance) {
  // The entrance is destroyed if accepting stops; the loop ends when that happens.
  const std::size_t entrances_before = entrances_.size();
  while (entrances_.size() == entrances_before) {
    if (entrance.tls != nullptr && handshakes_in_progress_ >= limits_.tls_max_handshakes) {
      entrance.paused = true;  // the backlog keeps the rest until a handshake ends
      return;
    }
    AcceptResult result = entrance.listener.accept_one();
    switch (result.kind) {
      case AcceptResult::Kind::Accepted:
        apply_client_socket_options(result.socket->fd.get(), ClientSocketOptions{limits_.tcp_user_timeout});
        if (entrance.tls != nullptr) {
          start_handshake(std::move(*result.socket), *entrance.tls);
        } else {
          auto transport = std::make_unique<PlainTransport>(std::move(result.socket->fd),
                                                            PlainTransport::TlsClients::Refused);
          admit(std::move(transport), result.socket->peer);
        }
        continue;
      case AcceptResult::Kind::NothingPending:
        return;
      case AcceptResult::Kind::RefusedOutOfDescriptors:
        ++stats_.refused_out_of_descriptors;
        if (descriptor_warning_.should_log(reactor_.now())) {
          spdlog::warn("out of file descriptors: refusing connections ({} more refused since the last warning)",
                       descriptor_warning_.suppressed());
        }
        continue;  // the backlog shrank by one: keep draining it
      case AcceptResult::Kind::Failed:
        break;
    }
    // Nothing was taken off the backlog (ENOBUFS, ENOMEM, EMFILE without a reserve): pause
    // accepting briefly instead of spinning, and look again when the timer fires.
    if (descriptor_warning_.should_log(reactor_.now())) {
      spdlog::warn("accept failed: {}; retrying in {} ms ({} more since the last warning)",
                   std::strerror(result.error), kAcceptRetryDelay.count(), descriptor_warning_.suppressed());
    }
    if (!accept_retry_timer_) {
      accept_retry_timer_ = reactor_.run_after(kAcceptRetryDelay, [this] {
        accept_retry_timer_.reset();
        for (std::size_t i = 0; i < entrances_.size(); ++i) accept_pending(*entrances_[i]);
      });
    }
    return;
  }
}

void ChatServer::admit_websocket(UpgradedConnection upgraded) {
  if (shutdown_) return;  // the socket closes as `upgraded` goes
  apply_client_socket_options(upgraded.socket.get(), ClientSocketOptions{limits_.tcp_user_timeout});
  const WebSocketLimits websocket_limits{limits_.max_line_bytes};
  auto transport = std::make_unique<WebSocketTransport>(std::move(upgraded.socket), std::move(upgraded.response),
                                                        std::move(upgraded.unread_input), websocket_limits);
  Connection* admitted = admit(std::move(transport), upgraded.peer);
  if (admitted == nullptr) return;
  connections_.at(admitted->id()).websocket = true;
  ++websocket_clients_;
  ++stats_.websocket_connections_accepted;
  // Frames may have come with the upgrade request, and no edge will announce them; and the
  // 101 response waits to be written.
  admitted->read_within_budget();
  if (admitted->state() != Connection::State::Closed) admitted->flush();
}

void ChatServer::start_handshake(AcceptedSocket socket, const TlsServerContext& context) {
  SslHandle session = context.new_session(socket.fd.get());
  if (!session) {
    ++stats_.tls_handshakes_failed;
    spdlog::error("cannot start a TLS session for {}: out of memory?", socket.peer.to_string());
    return;
  }
  const ConnectionId id = next_id_++;
  TlsHandshakeEvents& events = *this;
  auto handshake = std::make_unique<TlsHandshake>(id, std::move(socket), std::move(session), reactor_, events,
                                                  limits_.tls_handshake_timeout);
  TlsHandshake& started = *handshake;
  handshakes_.emplace(id, std::move(handshake));
  ++handshakes_in_progress_;
  started.start();
}

void ChatServer::on_handshake_done(TlsHandshake& handshake) {
  --handshakes_in_progress_;
  finished_handshakes_.push_back(handshake.id());
  ++stats_.tls_handshakes;
  std::unique_ptr<TlsTransport> transport = handshake.take_transport();
  if (transport->kernel_encrypts()) ++stats_.tls_kernel_sessions;
  // The client's first lines may have come with its last handshake record and been read into
  // the session already: no edge will announce them.
  if (Connection* admitted = admit(std::move(transport), handshake.peer())) admitted->read_within_budget();
}

void ChatServer::on_handshake_failed(TlsHandshake& handshake, TlsHandshakeFailure failure,
                                     const std::string& detail) {
  --handshakes_in_progress_;
  finished_handshakes_.push_back(handshake.id());
  switch (failure) {
    case TlsHandshakeFailure::PlainText:
      ++stats_.plain_text_on_tls_port;
      if (protocol_warning_.should_log(reactor_.now())) {
        spdlog::warn("client {} dropped: it sent plain text to the TLS port ({} more dropped since the last warning)",
                     handshake.peer().to_string(), protocol_warning_.suppressed());
      }
      return;
    case TlsHandshakeFailure::TimedOut:
      ++stats_.tls_handshake_timeouts;
      break;
    case TlsHandshakeFailure::Refused:
    case TlsHandshakeFailure::Disconnected:
      ++stats_.tls_handshakes_failed;
      break;
  }
  if (handshake_warning_.should_log(reactor_.now())) {
    spdlog::warn("TLS handshake with {} failed: {} ({} more failed since the last warning)",
                 handshake.peer().to_string(), detail, handshake_warning_.suppressed());
  }
}

void ChatServer::destroy_finished_handshakes() {
  for (const ConnectionId id : finished_handshakes_) handshakes_.erase(id);
  finished_handshakes_.clear();
}

void ChatServer::resume_paused_entrances() {
  for (std::size_t i = 0; i < entrances_.size(); ++i) {
    Entrance& entrance = *entrances_[i];
    if (entrance.paused && handshakes_in_progress_ < limits_.tls_max_handshakes) {
      entrance.paused = false;
      accept_pending(entrance);
    }
  }
}

void ChatServer::refuse(Transport& transport, const SocketAddress& peer, std::string_view notice) {
  // Non-blocking and best effort: a fresh socket's buffer always has room for one line.
  OutputQueue just_the_notice;
  just_the_notice.push(SharedBytes::copy_of(notice));
  transport.send(just_the_notice, scratch_.write_staging());
  transport.shut_down_write();
  if (refusal_warning_.should_log(reactor_.now())) {
    std::string text(notice.substr(2));
    if (!text.empty() && text.back() == '\n') text.pop_back();
    spdlog::warn("refused {}: {} ({} more refused since the last warning)", peer.to_string(), text,
                 refusal_warning_.suppressed());
  }
}

Connection* ChatServer::admit(std::unique_ptr<Transport> transport, const SocketAddress& peer) {
  if (connections_.size() >= limits_.max_clients) {
    ++stats_.refused_server_full;
    refuse(*transport, peer, "! server full\n");
    return nullptr;
  }
  const std::string name = peer.to_string();
  if (limits_.max_per_ip > 0) {
    std::size_t& from_host = clients_per_host_[host_of(name)];
    if (from_host >= limits_.max_per_ip) {
      ++stats_.refused_per_ip;
      refuse(*transport, peer, "! too many connections from your address\n");
      return nullptr;
    }
    ++from_host;
  }
  if (password_gate_ && !password_gate_->admits_host(host_of(name))) {
    refuse(*transport, peer, "! too many wrong passwords from your address: try again later\n");
    return nullptr;
  }
  const std::string welcome = welcome_line(server_address_seen_by(transport->fd(), address_));
  const ConnectionId id = next_id_++;
  ConnectionEvents& events = *this;
  auto connection = std::make_unique<Connection>(id, std::move(transport), name, reactor_, events, limits_, scratch_);
  Connection& admitted = *connection;
  admitted.count_output_in(queued_output_);
  connections_.emplace(id, Client{std::move(connection), reactor_.now()});
  ++stats_.connections_accepted;
  stats_.peak_clients = std::max(stats_.peak_clients, connections_.size());
  spdlog::debug("client {} joined ({} connected)", admitted.name(), connections_.size());
  admitted.deliver(SharedBytes::copy_of(welcome));
  if (password_gate_) {
    password_gate_->hold(admitted);
  } else {
    hub_.connect(admitted);
  }
  return &admitted;
}

void ChatServer::stop_accepting() {
  if (accept_retry_timer_) reactor_.cancel_timer(*accept_retry_timer_);
  accept_retry_timer_.reset();
  entrances_.clear();
  // Handshakes not yet done are dropped: their clients never joined.
  handshakes_.clear();
  handshakes_in_progress_ = 0;
  finished_handshakes_.clear();
}

void ChatServer::on_line(Connection& connection, std::string_view line) {
  switch (classify_line(line)) {
    case LineKind::Blank:
      return;
    case LineKind::Close:  // never rate limited: a flooder may always leave
      connection.close(CloseReason::ClientLeft);
      return;
    case LineKind::Text:
      break;
  }
  // Commands count against the rate too: \who in a big room costs more than a line of chat.
  if (!admit_under_rate_limit(connection)) return;
  if (password_gate_ && password_gate_->holds(connection)) {
    switch (password_gate_->on_line(connection, line, host_of(connection.name()))) {
      case PasswordGate::Verdict::KeepWaiting:
        return;
      case PasswordGate::Verdict::Rejected:
        if (password_warning_.should_log(reactor_.now())) {
          spdlog::warn("client {} sent a wrong password ({} more since the last warning)", connection.name(),
                       password_warning_.suppressed());
        }
        return;
      case PasswordGate::Verdict::Admitted:
        hub_.connect(connection);
        return;
      case PasswordGate::Verdict::Leave:
        connection.close(CloseReason::ClientLeft);
        return;
    }
  }
  if (hub_.on_line(connection, line) == ChatHub::Outcome::Leave) connection.close(CloseReason::ClientLeft);
}

void ChatServer::on_line_too_long(Connection& connection) {
  ++stats_.lines_too_long;
  connection.deliver(SharedBytes::copy_of(line_too_long_notice(limits_.max_line_bytes)));
}

bool ChatServer::admit_under_rate_limit(Connection& connection) {
  FloodControl& flood_control = connection.flood_control();
  const FloodControl::Verdict verdict = flood_control.judge(reactor_.now());
  if (verdict == FloodControl::Verdict::Admit) return true;
  ++stats_.lines_dropped_for_flooding;
  if (verdict == FloodControl::Verdict::DropAndWarn) {
    connection.deliver(slow_down_notice(limits_.rate_limit_lines_per_s, limits_.rate_burst_lines));
  } else if (verdict == FloodControl::Verdict::Disconnect) {
    connection.cut_off(CloseReason::Flooding,
                       flooding_notice(flood_control.drops_in_episode(), limits_.rate_limit_lines_per_s));
  }
  return false;
}

void ChatServer::broadcast_from_server(std::string_view text) { hub_.broadcast_from_server(text); }

bool ChatServer::kick(std::string_view who, std::string_view reason) {
  Connection* target = static_cast<Connection*>(hub_.find(who));
  if (target == nullptr) {
    for (auto& [id, client] : connections_) {
      if (client.connection->name() == who && client.connection->state() != Connection::State::Closed) {
        target = client.connection.get();
        break;
      }
    }
  }
  if (target == nullptr) return false;
  kick_reason_ = reason.empty() ? "kicked" : "kicked: " + std::string(reason);
  target->cut_off(CloseReason::Kicked, error_line(kick_reason_ + " (by the server)"));
  return true;
}

std::vector<ChatServer::ClientReport> ChatServer::client_reports() const {
  std::vector<ClientReport> reports;
  reports.reserve(connections_.size());
  for (const auto& [id, client] : connections_) {
    const Connection& connection = *client.connection;
    if (connection.state() == Connection::State::Closed) continue;
    reports.push_back({std::string(connection.display_name()), connection.name(),
                       connection.room() != nullptr ? connection.room()->name() : std::string(),
                       connection.queued_output_bytes(), reactor_.now() - client.connected_at});
  }
  std::sort(reports.begin(), reports.end(),
            [](const ClientReport& a, const ClientReport& b) { return a.connected_for > b.connected_for; });
  return reports;
}

ServerStats ChatServer::stats() const {
  ServerStats stats = stats_;
  stats.lines_broadcast = hub_.stats().messages;
  stats.deliveries = hub_.stats().deliveries;
  if (password_gate_) {
    stats.passwords_accepted = password_gate_->counters().accepted;
    stats.wrong_passwords = password_gate_->counters().wrong;
    stats.refused_locked_out = password_gate_->counters().refused_locked_out;
  }
  for (const auto& [id, client] : connections_) {
    stats.bytes_received += client.connection->bytes_received();
    stats.bytes_sent += client.connection->bytes_sent();
  }
  return stats;
}

void ChatServer::on_flush_needed(Connection& connection) { flush_queue_.push_back(connection.id()); }

void ChatServer::on_read_budget_exhausted(Connection& connection) { read_again_.push_back({connection.id(), turn_}); }

void ChatServer::on_closed(Connection& connection, CloseReason reason) {
  if (password_gate_) password_gate_->forget(connection);
  if (reason == CloseReason::OutputLimitExceeded) {
    ++stats_.slow_consumers_cut_off;
    spdlog::warn("client {} cut off: slow consumer: {} bytes queued, limit is {} bytes (--max-output)",
                 connection.name(), connection.queued_output_bytes(), limits_.max_output_bytes);
  } else if (reason == CloseReason::SoftOutputLimitExceeded) {
    ++stats_.slow_consumers_cut_off;
    spdlog::warn("client {} cut off: slow consumer: {} bytes queued, above {} bytes for {} ms (--soft-max-output)",
                 connection.name(), connection.queued_output_bytes(), limits_.soft_max_output_bytes,
                 limits_.soft_output_period.count());
  } else if (reason == CloseReason::TotalOutputLimitExceeded) {
    ++stats_.slow_consumers_cut_off;
    spdlog::warn(
        "client {} cut off: slow consumer: {} bytes queued, the largest backlog when all clients' output "
        "reached {} bytes, limit is {} bytes (--max-total-output)",
        connection.name(), connection.queued_output_bytes(), queued_output_.bytes(), limits_.max_total_output_bytes);
  } else if (reason == CloseReason::IdleTimeout) {
    ++stats_.idle_timeouts;
    spdlog::info("client {} cut off: nothing received for {} ms (--idle-timeout)", connection.name(),
                 limits_.idle_timeout.count());
  } else if (reason == CloseReason::Flooding) {
    ++stats_.flooders_cut_off;
    spdlog::warn("client {} cut off for flooding: {} lines dropped over {} lines/s (--flood-disconnect, --rate-limit)",
                 connection.name(), limits_.flood_disconnect_lines, limits_.rate_limit_lines_per_s);
  } else if (reason == CloseReason::LineTimeout) {
    ++stats_.line_timeouts;
    spdlog::warn("client {} cut off: no newline within {} ms (--line-timeout)", connection.name(),
                 limits_.line_timeout.count());
  } else if (reason == CloseReason::ShutdownTimedOut) {
    spdlog::warn("client {} closed with {} bytes unsent: the shutdown deadline passed", connection.name(),
                 connection.queued_output_bytes());
  } else if (reason == CloseReason::WrongProtocol) {
    ++stats_.tls_on_plain_port;
    if (protocol_warning_.should_log(reactor_.now())) {
      spdlog::warn("client {} dropped: it spoke TLS to the plain port ({} more dropped since the last warning)",
                   connection.name(), protocol_warning_.suppressed());
    }
  } else if (reason == CloseReason::ProtocolError) {
    ++stats_.websocket_protocol_errors;
    if (protocol_warning_.should_log(reactor_.now())) {
      spdlog::warn("WebSocket client {} closed: it broke the protocol ({} more since the last warning)",
                   connection.name(), protocol_warning_.suppressed());
    }
  } else if (reason == CloseReason::NoPong) {
    ++stats_.websocket_ping_timeouts;
    spdlog::info("WebSocket client {} cut off: it answered no ping within {} ms", connection.name(),
                 limits_.keepalive_interval.count());
  } else if (reason == CloseReason::Kicked) {
    ++stats_.kicked;
    spdlog::info("client {} ({}) {}", connection.name(), connection.display_name(), kick_reason_);
  } else {
    spdlog::debug("client {} {}", connection.name(), describe(reason));
  }
  closed_.emplace_back(connection.id(), why_told_to_room(reason));
}

std::string ChatServer::why_told_to_room(CloseReason reason) const {
  switch (reason) {
    case CloseReason::OutputLimitExceeded:
    case CloseReason::SoftOutputLimitExceeded:
    case CloseReason::TotalOutputLimitExceeded:
      return "cut off: not reading";
    case CloseReason::LineTimeout:
      return "cut off: line timeout";
    case CloseReason::IdleTimeout:
      return "cut off: idle";
    case CloseReason::Flooding:
      return "cut off: flooding";
    case CloseReason::Kicked:
      return kick_reason_;
    case CloseReason::ReadFailed:
    case CloseReason::WriteFailed:
    case CloseReason::NoPong:
      return "connection lost";
    case CloseReason::WrongProtocol:
    case CloseReason::WrongPassword:
    case CloseReason::ProtocolError:
    case CloseReason::ClientLeft:
    case CloseReason::PeerClosed:
    case CloseReason::ServerShutdown:
    case CloseReason::ShutdownTimedOut:
      break;
  }
  return {};
}

void ChatServer::end_of_turn() {
  destroy_finished_handshakes();
  resume_paused_entrances();
  continue_budgeted_reads();
  flush_pending_writes();
  enforce_total_output_limit();
  destroy_closed_connections();
  finish_shutdown_if_done();
  ++turn_;
}

void ChatServer::continue_budgeted_reads() {
  if (read_again_.empty()) return;
  std::vector<DeferredRead> deferred;
  deferred.swap(read_again_);
  for (const DeferredRead& read : deferred) {
    if (read.turn == turn_) {  // it has had this turn's budget already
      read_again_.push_back(read);
      continue;
    }
    const auto found = connections_.find(read.id);
    if (found != connections_.end()) found->second.connection->read_within_budget();
  }
}

void ChatServer::flush_pending_writes() {
  for (std::size_t flushed = 0; flushed < kConnectionsFlushedPerTurn && !flush_queue_.empty(); ++flushed) {
    const ConnectionId id = flush_queue_.front();
    flush_queue_.pop_front();
    const auto found = connections_.find(id);
    if (found != connections_.end()) found->second.connection->flush();
  }
}

void ChatServer::enforce_total_output_limit() {
  if (limits_.max_total_output_bytes == 0 || queued_output_.bytes() <= limits_.max_total_output_bytes) return;
  std::vector<Connection*> backlogged;
  for (auto& [id, client] : connections_) {
    Connection& connection = *client.connection;
    if (connection.state() != Connection::State::Closed && connection.queued_output_bytes() > 0) {
      backlogged.push_back(&connection);
    }
  }
  std::sort(backlogged.begin(), backlogged.end(), [](const Connection* a, const Connection* b) {
    return a->queued_output_bytes() > b->queued_output_bytes();
  });
  for (Connection* connection : backlogged) {
    if (queued_output_.bytes() <= limits_.max_total_output_bytes) return;
    connection->cut_off(CloseReason::TotalOutputLimitExceeded, slow_consumer_notice(connection->queued_output_bytes()));
  }
}

void ChatServer::destroy_closed_connections() {
  // Swapped out first: leaving notices are deliveries, and a delivery can close a connection.
  std::vector<std::pair<ConnectionId, std::string>> closed;
  closed.swap(closed_);
  for (const auto& [id, why] : closed) {
    const auto found = connections_.find(id);
    if (found == connections_.end()) continue;
    Connection& connection = *found->second.connection;
    if (found->second.websocket) --websocket_clients_;
    hub_.disconnect(connection, why);
    stats_.bytes_received += connection.bytes_received();
    stats_.bytes_sent += connection.bytes_sent();
    if (limits_.max_per_ip > 0) {
      const auto host = clients_per_host_.find(host_of(connection.name()));
      if (host != clients_per_host_.end() && --host->second == 0) clients_per_host_.erase(host);
    }
    connections_.erase(found);
  }
  if (!closed_.empty()) destroy_closed_connections();
}

void ChatServer::shut_down_gracefully(Duration timeout, std::function<void()> on_finished) {
  if (shutdown_) return;
  shutdown_.emplace(Shutdown{});
  shutdown_->on_finished = std::move(on_finished);
  stop_accepting();
  spdlog::info("shutting down: sending \\close to {} clients", connections_.size());
  const SharedBytes close_command = SharedBytes::copy_of(kCloseCommand);
  for (auto& [id, client] : connections_) {
    client.connection->deliver(close_command);
    client.connection->close_after_flush();
  }
  shutdown_->deadline_timer = reactor_.run_after(timeout, [this] { close_all_now(CloseReason::ShutdownTimedOut); });
  finish_shutdown_if_done();  // with no clients there is nothing to wait for
}

void ChatServer::close_all_now(CloseReason reason) {
  stop_accepting();
  for (auto& [id, client] : connections_) client.connection->close(reason);
  flush_queue_.clear();
  read_again_.clear();
  destroy_closed_connections();
  finish_shutdown_if_done();
}

void ChatServer::finish_shutdown_if_done() {
  if (!shutdown_ || shutdown_->finished || !connections_.empty()) return;
  shutdown_->finished = true;
  reactor_.cancel_timer(shutdown_->deadline_timer);
  if (shutdown_->on_finished) shutdown_->on_finished();
}

}  // namespace chatroom
