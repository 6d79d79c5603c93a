// What clients' lines mean, how their closes are accounted, the turn's order and the shutdown.
#include "server/chat_server.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "net/socket_options.hpp"
#include "protocol/line_kind.hpp"
#include "protocol/wire_format.hpp"
#include "server/close_reasons.hpp"
#include "websocket/websocket_transport.hpp"

namespace chatroom {
namespace {

constexpr std::size_t kReadScratchBytes = std::size_t{64} << 10;  // the most one read takes

}  // namespace

ChatServer::ChatServer(Reactor& reactor, std::optional<Listener> plain, const ServerLimits& limits,
                       const HubSettings& chat)
    : reactor_(reactor),
      limits_(limits),
      scratch_(std::min(kReadScratchBytes, std::max<std::size_t>(limits.read_budget_bytes, 1))),
      hub_(chat),
      connections_(reactor.clock(), WritePacer(limits.max_write_duty)),
      acceptor_(reactor, *this, limits_, scratch_) {
  if (limits_.max_clients == 0) limits_.max_clients = SIZE_MAX;
  if (plain) acceptor_.listen(std::move(*plain), nullptr, line_protocol_);
  reactor_.add_turn_hook(*this, TurnPhase::Clients);
}

ChatServer::~ChatServer() {
  reactor_.remove_turn_hook(*this);
  acceptor_.stop();
}

void ChatServer::accept_plain(Listener listener) { acceptor_.listen(std::move(listener), nullptr, line_protocol_); }

void ChatServer::accept_tls(Listener listener, const TlsServerContext& context) {
  acceptor_.listen(std::move(listener), &context, line_protocol_);
}

void ChatServer::accept(Listener listener, const TlsServerContext* tls, ClientProtocol& protocol) {
  acceptor_.listen(std::move(listener), tls, protocol);
}

SocketAddress ChatServer::address() const {
  if (auto plain = acceptor_.address_of(line_protocol_, false)) return *plain;
  return acceptor_.address_of(line_protocol_, true).value_or(SocketAddress{});
}

std::string ChatServer::server_address_seen_by(const Connection& connection) const {
  try {
    return SocketAddress::local_of(connection.fd()).to_string();
  } catch (const std::system_error&) {
    return address().to_string();
  }
}

void ChatServer::require_password(const ServerPassword& password, const LoginLimits& limits) {
  password_gate_.emplace(reactor_, password, limits);
}

bool ChatServer::admits_host(std::string_view host) {
  return !password_gate_ || password_gate_->admits_host(std::string(host));
}

void ChatServer::admit_websocket(UpgradedConnection upgraded) {
  if (shutdown_) return;  // the socket closes as `upgraded` goes
  apply_client_socket_options(upgraded.socket.get(), ClientSocketOptions{limits_.tcp_user_timeout});
  const WebSocketLimits websocket_limits{limits_.max_line_bytes};
  auto transport = std::make_unique<WebSocketTransport>(std::move(upgraded.socket), std::move(upgraded.response),
                                                        std::move(upgraded.unread_input), websocket_limits);
  acceptor_.admit(std::move(transport), upgraded.peer, ClientKind::WebSocket, line_protocol_);
}

void ChatServer::on_admitted(std::unique_ptr<Transport> transport, const SocketAddress& peer, ClientKind kind,
                             ClientProtocol& protocol) {
  ConnectionEvents& events = *this;
  Connection& admitted = connections_.add(
      std::make_unique<Connection>(connections_.next_id(), std::move(transport), peer.to_string(), reactor_, events,
                                   limits_, scratch_, protocol.wording()),
      reactor_.now(), kind);
  SessionContext& context = *this;
  admitted.set_session(protocol.open_session(admitted, context));
  admitted.count_output_in(queued_output_);
  ++stats_.connections_accepted;
  stats_.peak_clients = std::max(stats_.peak_clients, connections_.size());
  if (kind == ClientKind::WebSocket) {
    ++websocket_clients_;
    ++stats_.websocket_connections_accepted;
  }
  spdlog::debug("client {} joined ({} connected)", admitted.name(), connections_.size());
  admitted.session().start();
  if (kind == ClientKind::Plain) return;
  // Input may have come with the way in (the last TLS handshake record, frames sent with the
  // upgrade request), already read into the session where no edge will announce it; and the
  // 101 response waits to be written.
  admitted.read_within_budget();
  if (admitted.state() != Connection::State::Closed) admitted.flush();
}

void ChatServer::on_line(Connection& connection, std::string_view line) {
  if (classify_line(line) == LineKind::Blank) return;
  connection.session().on_line(line);
}

void ChatServer::note_wrong_password(const Connection& connection) {
  if (password_warning_.should_log(reactor_.now())) {
    spdlog::warn("client {} sent a wrong password ({} more since the last warning)", connection.name(),
                 password_warning_.suppressed());
  }
}

void ChatServer::on_line_too_long(Connection& connection) {
  ++stats_.lines_too_long;
  connection.deliver(connection.wording().error(connection, line_too_long_notice(limits_.max_line_bytes)));
}

bool ChatServer::admit_under_rate_limit(Connection& connection) {
  FloodControl& flood_control = connection.flood_control();
  const FloodControl::Verdict verdict = flood_control.judge(reactor_.now());
  if (verdict == FloodControl::Verdict::Admit) return true;
  ++stats_.lines_dropped_for_flooding;
  if (verdict == FloodControl::Verdict::DropAndWarn) {
    connection.deliver(
        connection.wording().error(connection, slow_down_notice(limits_.rate_limit_lines_per_s, limits_.rate_burst_lines)));
  } else if (verdict == FloodControl::Verdict::Disconnect) {
    connection.cut_off(CloseReason::Flooding);
  }
  return false;
}

void ChatServer::broadcast_from_server(std::string_view text) { hub_.broadcast_from_server(text); }

bool ChatServer::kick(std::string_view who, std::string_view reason) {
  Connection* target = nullptr;
  // A nickname first, else an address. Kicks are rare: a walk of the table is fine.
  const Participant* member = hub_.find(who);
  connections_.for_each([&](const ConnectionTable::Entry& entry) {
    Connection& connection = *entry.connection;
    if (target != nullptr || connection.state() == Connection::State::Closed) return;
    const Participant* as_member = &connection;
    if (member != nullptr ? as_member == member : connection.name() == who) {
      target = &connection;
    }
  });
  if (target == nullptr) return false;
  target->cut_off(CloseReason::Kicked, reason.empty() ? std::string("kicked") : "kicked: " + std::string(reason));
  return true;
}

std::vector<ChatServer::ClientReport> ChatServer::client_reports() const {
  std::vector<ClientReport> reports;
  reports.reserve(connections_.size());
  connections_.for_each([&](const ConnectionTable::Entry& entry) {
    const Connection& connection = *entry.connection;
    if (connection.state() == Connection::State::Closed) return;
    std::string rooms;  // "dev,lobby" for a member of several
    for (const Room* room : connection.rooms()) rooms.append(rooms.empty() ? "" : ",").append(room->name());
    reports.push_back({std::string(connection.display_name()), connection.name(), std::move(rooms),
                       connection.queued_output_bytes(), reactor_.now() - entry.connected_at});
  });
  std::sort(reports.begin(), reports.end(),
            [](const ClientReport& a, const ClientReport& b) { return a.connected_for > b.connected_for; });
  return reports;
}

ServerStats ChatServer::stats() const {
  ServerStats stats = stats_;
  stats.lines_broadcast = hub_.stats().messages;
  stats.deliveries = hub_.stats().deliveries;
  stats.write_rests = connections_.rests().count;
  stats.write_rest_seconds = std::chrono::duration<double>(connections_.rests().total).count();
  const AcceptorCounters& accepted = acceptor_.counters();
  stats.refused_server_full = accepted.refused_server_full;
  stats.refused_per_ip = accepted.refused_per_ip;
  stats.refused_out_of_descriptors = accepted.refused_out_of_descriptors;
  stats.tls_handshakes = accepted.tls_handshakes;
  stats.tls_kernel_sessions = accepted.tls_kernel_sessions;
  stats.tls_handshakes_failed = accepted.tls_handshakes_failed;
  stats.tls_handshake_timeouts = accepted.tls_handshake_timeouts;
  stats.plain_text_on_tls_port = accepted.plain_text_on_tls_port;
  if (password_gate_) {
    stats.passwords_accepted = password_gate_->counters().accepted;
    stats.wrong_passwords = password_gate_->counters().wrong;
    stats.refused_locked_out = password_gate_->counters().refused_locked_out;
  }
  connections_.for_each([&](const ConnectionTable::Entry& entry) {
    stats.bytes_received += entry.connection->bytes_received();
    stats.bytes_sent += entry.connection->bytes_sent();
  });
  return stats;
}

void ChatServer::on_closed(Connection& connection, CloseReason reason, std::string_view detail) {
  if (password_gate_) password_gate_->forget(connection);
  const CloseReasonRow& row = close_reason_row(reason);
  if (row.counter != nullptr) ++(stats_.*row.counter);
  log_close(connection, reason, detail);
  connections_.destroy_after_turn(connection.id(), std::string(detail.empty() ? row.room_text : detail));
}

void ChatServer::log_close(const Connection& connection, CloseReason reason, std::string_view detail) {
  const CloseReasonRow& row = close_reason_row(reason);
  if (!spdlog::should_log(row.log_level)) return;
  if (row.log_throttled && !close_warning_.should_log(reactor_.now())) return;
  const CloseFacts facts{connection.name(),
                         connection.display_name(),
                         detail,
                         connection.queued_output_bytes(),
                         limits_.max_output_bytes,
                         limits_.soft_max_output_bytes,
                         limits_.soft_output_period.count(),
                         queued_output_.bytes(),
                         limits_.max_total_output_bytes,
                         limits_.line_timeout.count(),
                         limits_.idle_timeout.count(),
                         limits_.flood_disconnect_lines,
                         limits_.rate_limit_lines_per_s,
                         limits_.keepalive_interval.count()};
  std::string line = "client " + connection.name() + " " + close_log_line(row, facts);
  if (row.log_throttled) line += " (" + std::to_string(close_warning_.suppressed()) + " more since the last warning)";
  spdlog::log(row.log_level, "{}", line);
}

// The order of the server's part of a loop turn (docs/architecture.md, "One loop turn").
void ChatServer::end_of_turn() {
  acceptor_.end_of_turn();
  connections_.continue_budgeted_reads();
  connections_.flush_slice();
  enforce_total_output_limit();
  destroy_closed_connections();
  finish_shutdown_if_done();
  connections_.next_turn();
}

void ChatServer::enforce_total_output_limit() {
  if (limits_.max_total_output_bytes == 0 || queued_output_.bytes() <= limits_.max_total_output_bytes) return;
  std::vector<Connection*> backlogged;
  connections_.for_each([&](const ConnectionTable::Entry& entry) {
    Connection& connection = *entry.connection;
    if (connection.state() != Connection::State::Closed && connection.queued_output_bytes() > 0) {
      backlogged.push_back(&connection);
    }
  });
  std::sort(backlogged.begin(), backlogged.end(), [](const Connection* a, const Connection* b) {
    return a->queued_output_bytes() > b->queued_output_bytes();
  });
  for (Connection* connection : backlogged) {
    if (queued_output_.bytes() <= limits_.max_total_output_bytes) return;
    connection->cut_off(CloseReason::TotalOutputLimitExceeded);
  }
}

void ChatServer::destroy_closed_connections() {
  connections_.destroy_closed([this](ConnectionTable::Entry& entry, const std::string& why) {
    Connection& connection = *entry.connection;
    if (entry.kind == ClientKind::WebSocket) --websocket_clients_;
    hub_.disconnect(connection, why);
    stats_.bytes_received += connection.bytes_received();
    stats_.bytes_sent += connection.bytes_sent();
    acceptor_.forget(connection.name());
  });
}

void ChatServer::shut_down_gracefully(Duration timeout, std::function<void()> on_finished) {
  if (shutdown_) return;
  shutdown_.emplace(Shutdown{});
  shutdown_->on_finished = std::move(on_finished);
  acceptor_.stop();
  spdlog::info("shutting down: sending \\close to {} clients", connections_.size());
  connections_.for_each([&](const ConnectionTable::Entry& entry) {
    entry.connection->deliver(entry.connection->wording().shutting_down());
    entry.connection->discard_input_and_close_when_flushed();
  });
  shutdown_->deadline_timer = reactor_.run_after(timeout, [this] { close_all_now(CloseReason::ShutdownTimedOut); });
  finish_shutdown_if_done();  // with no clients there is nothing to wait for
}

void ChatServer::close_all_now(CloseReason reason) {
  acceptor_.stop();
  connections_.for_each([&](const ConnectionTable::Entry& entry) { entry.connection->close(reason); });
  connections_.forget_pending_work();
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
