// Accepting, broadcasting, the end-of-turn flush and graceful shutdown.
#include "server/chat_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <spdlog/spdlog.h>

#include "protocol/line_kind.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

constexpr std::size_t kReadScratchBytes = std::size_t{64} << 10;
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

ChatServer::ChatServer(Reactor& reactor, Listener listener, const ServerLimits& limits)
    : reactor_(reactor),
      listener_(std::move(listener)),
      address_(listener_->address()),
      limits_(limits),
      read_scratch_(std::min(kReadScratchBytes, std::max<std::size_t>(limits.read_budget_bytes, 1))) {
  if (limits_.max_clients == 0) limits_.max_clients = SIZE_MAX;
  listener_watch_ = reactor_.watch(listener_->fd(), WatchMode::EdgeTriggered, *this);
  reactor_.add_turn_hook(*this);
}

ChatServer::~ChatServer() {
  stop_accepting();
  // Connections unwatch themselves as they are destroyed.
  connections_.clear();
}

void ChatServer::handle_io(IoEvents events) {
  if (events.readable || events.error) accept_pending();
}

void ChatServer::accept_pending() {
  while (listener_) {
    AcceptResult result = listener_->accept_one();
    switch (result.kind) {
      case AcceptResult::Kind::Accepted:
        admit(std::move(*result.socket));
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
        accept_pending();
      });
    }
    return;
  }
}

void ChatServer::configure_client_socket(int fd) const {
  const int one = 1;
  // We already batch a turn's messages into one write; Nagle would only add latency.
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  // Keepalive finds peers that vanished without a FIN while we have nothing to send them;
  // TCP_USER_TIMEOUT bounds how long unacknowledged output may linger when we do.
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
  const int idle_s = 60;
  const int interval_s = 10;
  const int probes = 6;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof(idle_s));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof(interval_s));
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof(probes));
  if (limits_.tcp_user_timeout.count() > 0) {
    const auto timeout_ms = static_cast<unsigned>(limits_.tcp_user_timeout.count());
    ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &timeout_ms, sizeof(timeout_ms));
  }
}

void ChatServer::refuse(AcceptedSocket socket, std::string_view notice) {
  // Non-blocking and best effort: a fresh socket's buffer always has room for one line.
  ::send(socket.fd.get(), notice.data(), notice.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(socket.fd.get(), SHUT_WR);
  if (refusal_warning_.should_log(reactor_.now())) {
    std::string text(notice.substr(2));
    if (!text.empty() && text.back() == '\n') text.pop_back();
    spdlog::warn("refused {}: {} ({} more refused since the last warning)", socket.peer.to_string(), text,
                 refusal_warning_.suppressed());
  }
}

void ChatServer::admit(AcceptedSocket socket) {
  if (connections_.size() >= limits_.max_clients) {
    ++stats_.refused_server_full;
    refuse(std::move(socket), "! server full\n");
    return;
  }
  const std::string name = socket.peer.to_string();
  if (limits_.max_per_ip > 0) {
    std::size_t& from_host = clients_per_host_[host_of(name)];
    if (from_host >= limits_.max_per_ip) {
      ++stats_.refused_per_ip;
      refuse(std::move(socket), "! too many connections from your address\n");
      return;
    }
    ++from_host;
  }
  configure_client_socket(socket.fd.get());
  const std::string welcome = welcome_line(server_address_seen_by(socket.fd.get(), address_));
  const ConnectionId id = next_id_++;
  ConnectionEvents& events = *this;
  auto connection = std::make_unique<Connection>(id, std::move(socket.fd), name, reactor_, events,
                                                 limits_, std::span(read_scratch_));
  Connection& admitted = *connection;
  admitted.count_output_in(queued_output_);
  connections_.emplace(id, std::move(connection));
  ++stats_.connections_accepted;
  stats_.peak_clients = std::max(stats_.peak_clients, connections_.size());
  spdlog::debug("client {} joined ({} connected)", admitted.name(), connections_.size());
  admitted.deliver(SharedBytes::copy_of(welcome));
  room_.join(admitted);
}

void ChatServer::stop_accepting() {
  if (accept_retry_timer_) reactor_.cancel_timer(*accept_retry_timer_);
  accept_retry_timer_.reset();
  if (!listener_) return;
  reactor_.unwatch(listener_watch_);
  listener_.reset();
}

void ChatServer::on_line(Connection& connection, std::string_view line) {
  switch (classify_line(line)) {
    case LineKind::Blank:
      return;
    case LineKind::Close:
      connection.close(CloseReason::ClientLeft);
      return;
    case LineKind::Text:
      break;
  }
  if (!admit_under_rate_limit(connection)) return;
  const SharedBytes message = encode_chat_line(connection.name(), line, encode_scratch_);
  if (message.empty()) return;
  ++stats_.lines_broadcast;
  stats_.deliveries += room_.broadcast(message, &connection);
}

void ChatServer::on_line_too_long(Connection& connection) {
  ++stats_.lines_too_long;
  connection.deliver(SharedBytes::copy_of(line_too_long_notice(limits_.max_line_bytes)));
}

bool ChatServer::admit_under_rate_limit(Connection& connection) {
  std::size_t& dropped = connection.lines_dropped_in_a_row();
  if (connection.rate_limiter().try_take(reactor_.now())) {
    dropped = 0;
    return true;
  }
  ++stats_.lines_dropped_for_flooding;
  if (++dropped == 1) {
    // Once per episode, so the notices cannot themselves become a flood.
    char notice[96];
    std::snprintf(notice, sizeof(notice), "! slow down: lines dropped (limit %g lines/s, bursts of %zu)\n",
                  limits_.rate_limit_lines_per_s, limits_.rate_burst_lines);
    connection.deliver(SharedBytes::copy_of(notice));
  }
  if (limits_.flood_disconnect_lines > 0 && dropped >= limits_.flood_disconnect_lines) {
    connection.close(CloseReason::Flooding);
  }
  return false;
}

void ChatServer::broadcast_from_server(std::string_view text) {
  const SharedBytes message = encode_chat_line(kServerSenderName, text, encode_scratch_);
  if (message.empty()) return;
  ++stats_.lines_broadcast;
  stats_.deliveries += room_.broadcast(message);
}

void ChatServer::on_flush_needed(Connection& connection) { flush_queue_.push_back(connection.id()); }

void ChatServer::on_read_budget_exhausted(Connection& connection) { read_again_.push_back(connection.id()); }

void ChatServer::on_closed(Connection& connection, CloseReason reason) {
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
    spdlog::warn("client {} cut off for flooding: {} lines in a row over {} lines/s (--rate-limit)", connection.name(),
                 limits_.flood_disconnect_lines, limits_.rate_limit_lines_per_s);
  } else if (reason == CloseReason::LineTimeout) {
    ++stats_.line_timeouts;
    spdlog::warn("client {} cut off: no newline within {} ms (--line-timeout)", connection.name(),
                 limits_.line_timeout.count());
  } else if (reason == CloseReason::ShutdownTimedOut) {
    spdlog::warn("client {} closed with {} bytes unsent: the shutdown deadline passed", connection.name(),
                 connection.queued_output_bytes());
  } else {
    spdlog::debug("client {} {}", connection.name(), describe(reason));
  }
  closed_.push_back(connection.id());
}

void ChatServer::end_of_turn() {
  continue_budgeted_reads();
  flush_pending_writes();
  enforce_total_output_limit();
  destroy_closed_connections();
  finish_shutdown_if_done();
}

void ChatServer::continue_budgeted_reads() {
  if (read_again_.empty()) return;
  std::vector<ConnectionId> ids;
  ids.swap(read_again_);
  for (const ConnectionId id : ids) {
    const auto found = connections_.find(id);
    if (found != connections_.end()) found->second->read_within_budget();
  }
}

void ChatServer::flush_pending_writes() {
  for (std::size_t flushed = 0; flushed < kConnectionsFlushedPerTurn && !flush_queue_.empty(); ++flushed) {
    const ConnectionId id = flush_queue_.front();
    flush_queue_.pop_front();
    const auto found = connections_.find(id);
    if (found != connections_.end()) found->second->flush();
  }
}

void ChatServer::enforce_total_output_limit() {
  if (limits_.max_total_output_bytes == 0 || queued_output_.bytes() <= limits_.max_total_output_bytes) return;
  std::vector<Connection*> backlogged;
  for (auto& [id, connection] : connections_) {
    if (connection->state() != Connection::State::Closed && connection->queued_output_bytes() > 0) {
      backlogged.push_back(connection.get());
    }
  }
  std::sort(backlogged.begin(), backlogged.end(), [](const Connection* a, const Connection* b) {
    return a->queued_output_bytes() > b->queued_output_bytes();
  });
  for (Connection* connection : backlogged) {
    if (queued_output_.bytes() <= limits_.max_total_output_bytes) return;
    connection->close(CloseReason::TotalOutputLimitExceeded);
  }
}

void ChatServer::destroy_closed_connections() {
  for (const ConnectionId id : closed_) {
    const auto found = connections_.find(id);
    if (found == connections_.end()) continue;
    room_.leave(*found->second);
    if (limits_.max_per_ip > 0) {
      const auto host = clients_per_host_.find(host_of(found->second->name()));
      if (host != clients_per_host_.end() && --host->second == 0) clients_per_host_.erase(host);
    }
    connections_.erase(found);
  }
  closed_.clear();
}

void ChatServer::shut_down_gracefully(Duration timeout, std::function<void()> on_finished) {
  if (shutdown_) return;
  shutdown_.emplace(Shutdown{});
  shutdown_->on_finished = std::move(on_finished);
  stop_accepting();
  spdlog::info("shutting down: sending \\close to {} clients", connections_.size());
  const SharedBytes close_command = SharedBytes::copy_of(kCloseCommand);
  for (auto& [id, connection] : connections_) {
    connection->deliver(close_command);
    connection->close_after_flush();
  }
  shutdown_->deadline_timer = reactor_.run_after(timeout, [this] { close_all_now(CloseReason::ShutdownTimedOut); });
  finish_shutdown_if_done();  // with no clients there is nothing to wait for
}

void ChatServer::close_all_now(CloseReason reason) {
  stop_accepting();
  for (auto& [id, connection] : connections_) connection->close(reason);
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
