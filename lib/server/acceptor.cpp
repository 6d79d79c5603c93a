// Accepting, TLS handshakes and admission.
#include "server/acceptor.hpp"

#include <cstring>
#include <spdlog/spdlog.h>

#include "net/socket_options.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

// After an accept error that leaves connections queued (ENOBUFS, ENOMEM), try again soon
// rather than wait for an edge that may never come.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

}  // namespace

Acceptor::Entrance::Entrance(Acceptor& acceptor, Listener listener_socket, const TlsServerContext* tls_context,
                             ClientProtocol& spoken)
    : listener(std::move(listener_socket)), tls(tls_context), protocol(spoken), acceptor_(acceptor) {
  watch_ = acceptor_.reactor_.watch(listener.fd(), WatchMode::EdgeTriggered, *this);
}

Acceptor::Entrance::~Entrance() { acceptor_.reactor_.unwatch(watch_); }

void Acceptor::Entrance::handle_io(IoEvents events) {
  if (events.readable || events.error) acceptor_.accept_pending(*this);
}

Acceptor::Acceptor(Reactor& reactor, AcceptorEvents& events, const ServerLimits& limits, ScratchBuffers& scratch)
    : reactor_(reactor), events_(events), limits_(limits), scratch_(scratch) {}

Acceptor::~Acceptor() { stop(); }

void Acceptor::listen(Listener listener, const TlsServerContext* tls, ClientProtocol& protocol) {
  addresses_.push_back(KnownAddress{&protocol, tls != nullptr, listener.address()});
  entrances_.push_back(std::make_unique<Entrance>(*this, std::move(listener), tls, protocol));
}

std::optional<SocketAddress> Acceptor::address_of(const ClientProtocol& protocol, bool tls) const {
  for (const KnownAddress& known : addresses_) {
    if (known.protocol == &protocol && known.tls == tls) return known.address;
  }
  return std::nullopt;
}

void Acceptor::stop() {
  if (accept_retry_timer_) reactor_.cancel_timer(*accept_retry_timer_);
  accept_retry_timer_.reset();
  entrances_.clear();
  // Handshakes not yet done are dropped: their clients never joined.
  handshakes_.clear();
  handshakes_in_progress_ = 0;
  finished_handshakes_.clear();
}

void Acceptor::accept_pending(Entrance& entrance) {
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
          start_handshake(std::move(*result.socket), *entrance.tls, entrance.protocol);
        } else {
          admit(std::make_unique<PlainTransport>(std::move(result.socket->fd), PlainTransport::TlsClients::Refused),
                result.socket->peer, ClientKind::Plain, entrance.protocol);
        }
        continue;
      case AcceptResult::Kind::NothingPending:
        return;
      case AcceptResult::Kind::RefusedOutOfDescriptors:
        ++counters_.refused_out_of_descriptors;
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
    retry_accepting_soon();
    return;
  }
}

void Acceptor::retry_accepting_soon() {
  if (accept_retry_timer_) return;
  accept_retry_timer_ = reactor_.run_after(kAcceptRetryDelay, [this] {
    accept_retry_timer_.reset();
    for (std::size_t i = 0; i < entrances_.size(); ++i) accept_pending(*entrances_[i]);
  });
}

void Acceptor::start_handshake(AcceptedSocket socket, const TlsServerContext& context, ClientProtocol& protocol) {
  SslHandle session = context.new_session(socket.fd.get());
  if (!session) {
    ++counters_.tls_handshakes_failed;
    spdlog::error("cannot start a TLS session for {}: out of memory?", socket.peer.to_string());
    return;
  }
  const std::uint64_t id = next_handshake_id_++;
  TlsHandshakeEvents& events = *this;
  auto handshake = std::make_unique<TlsHandshake>(id, std::move(socket), std::move(session), reactor_, events,
                                                  limits_.tls_handshake_timeout);
  TlsHandshake& started = *handshake;
  handshakes_.emplace(id, Handshake{std::move(handshake), &protocol});
  ++handshakes_in_progress_;
  started.start();
}

void Acceptor::on_handshake_done(TlsHandshake& handshake) {
  --handshakes_in_progress_;
  finished_handshakes_.push_back(handshake.id());
  ++counters_.tls_handshakes;
  std::unique_ptr<TlsTransport> transport = handshake.take_transport();
  if (transport->kernel_encrypts()) ++counters_.tls_kernel_sessions;
  admit(std::move(transport), handshake.peer(), ClientKind::Tls, *handshakes_.at(handshake.id()).protocol);
}

void Acceptor::on_handshake_failed(TlsHandshake& handshake, TlsHandshakeFailure failure, const std::string& detail) {
  --handshakes_in_progress_;
  finished_handshakes_.push_back(handshake.id());
  switch (failure) {
    case TlsHandshakeFailure::PlainText:
      ++counters_.plain_text_on_tls_port;
      if (plain_text_warning_.should_log(reactor_.now())) {
        spdlog::warn("client {} dropped: it sent plain text to the TLS port ({} more dropped since the last warning)",
                     handshake.peer().to_string(), plain_text_warning_.suppressed());
      }
      return;
    case TlsHandshakeFailure::TimedOut:
      ++counters_.tls_handshake_timeouts;
      break;
    case TlsHandshakeFailure::Refused:
    case TlsHandshakeFailure::Disconnected:
      ++counters_.tls_handshakes_failed;
      break;
  }
  if (handshake_warning_.should_log(reactor_.now())) {
    spdlog::warn("TLS handshake with {} failed: {} ({} more failed since the last warning)",
                 handshake.peer().to_string(), detail, handshake_warning_.suppressed());
  }
}

void Acceptor::end_of_turn() {
  for (const std::uint64_t id : finished_handshakes_) handshakes_.erase(id);
  finished_handshakes_.clear();
  for (std::size_t i = 0; i < entrances_.size(); ++i) {
    Entrance& entrance = *entrances_[i];
    if (entrance.paused && handshakes_in_progress_ < limits_.tls_max_handshakes) {
      entrance.paused = false;
      accept_pending(entrance);
    }
  }
}

void Acceptor::admit(std::unique_ptr<Transport> transport, const SocketAddress& peer, ClientKind kind,
                     ClientProtocol& protocol) {
  if (events_.clients_now() >= limits_.max_clients) {
    ++counters_.refused_server_full;
    refuse(*transport, peer, protocol, "server full");
    return;
  }
  const std::string address = peer.to_string();
  const std::string_view host = host_part(address);
  if (limits_.max_per_ip > 0) {
    std::size_t& from_host = clients_per_host_[std::string(host)];
    if (from_host >= limits_.max_per_ip) {
      ++counters_.refused_per_ip;
      refuse(*transport, peer, protocol, "too many connections from your address");
      return;
    }
    ++from_host;
  }
  if (!events_.admits_host(host)) {
    if (limits_.max_per_ip > 0) forget(address);
    refuse(*transport, peer, protocol, "too many wrong passwords from your address: try again later");
    return;
  }
  events_.on_admitted(std::move(transport), peer, kind, protocol);
}

void Acceptor::forget(std::string_view address) {
  if (limits_.max_per_ip == 0) return;
  const auto host = clients_per_host_.find(std::string(host_part(address)));
  if (host != clients_per_host_.end() && --host->second == 0) clients_per_host_.erase(host);
}

void Acceptor::refuse(Transport& transport, const SocketAddress& peer, const ClientProtocol& protocol,
                      std::string_view why) {
  // Non-blocking and best effort: a fresh socket's buffer always has room for one line.
  OutputQueue just_the_notice;
  just_the_notice.push(protocol.wording().last_words(why));
  transport.send(just_the_notice, scratch_.write_staging());
  transport.shut_down_write();
  if (refusal_warning_.should_log(reactor_.now())) {
    spdlog::warn("refused {}: {} ({} more refused since the last warning)", peer.to_string(), why,
                 refusal_warning_.suppressed());
  }
}

}  // namespace chatroom
