// Accepting HTTP clients and answering them.
#include "http/http_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <spdlog/spdlog.h>

namespace chatroom {

HttpServer::HttpServer(Reactor& reactor, Listener listener, HttpHandler& handler, HttpLimits limits)
    : reactor_(reactor),
      listener_(std::move(listener)),
      address_(listener_.address()),
      handler_(handler),
      limits_(limits) {
  watch_ = reactor_.watch(listener_.fd(), WatchMode::EdgeTriggered, *this);
  reactor_.add_turn_hook(*this, TurnPhase::Cleanup);
}

HttpServer::~HttpServer() {
  reactor_.remove_turn_hook(*this);
  reactor_.unwatch(watch_);
  connections_.clear();
}

void HttpServer::handle_io(IoEvents events) {
  if (events.readable || events.error) accept_pending();
}

void HttpServer::accept_pending() {
  for (;;) {
    AcceptResult result = listener_.accept_one();
    if (result.kind == AcceptResult::Kind::RefusedOutOfDescriptors) continue;
    if (result.kind != AcceptResult::Kind::Accepted) return;
    AcceptedSocket& socket = *result.socket;
    const int one = 1;
    ::setsockopt(socket.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connections_.size() - closed_.size() >= limits_.max_connections) {
      ++stats_.connections_refused;
      ++stats_.responses_by_status[503];
      const std::string busy = serialize(HttpResponse::text(503, "too many HTTP connections\n"), false, false);
      ::send(socket.fd.get(), busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (refusal_warning_.should_log(reactor_.now())) {
        spdlog::warn("HTTP client {} refused: {} connections open (--http-max-connections; {} more since the last "
                     "warning)",
                     socket.peer.to_string(), limits_.max_connections, refusal_warning_.suppressed());
      }
      continue;
    }
    const std::uint64_t id = next_id_++;
    HttpConnectionEvents& events = *this;
    auto connection =
        std::make_unique<HttpConnection>(id, std::move(socket.fd), socket.peer, reactor_, events, limits_);
    HttpConnection& accepted = *connection;
    connections_.emplace(id, std::move(connection));
    ++stats_.connections_accepted;
    accepted.start();
  }
}

HttpResponse HttpServer::on_request(HttpConnection&, const HttpRequest& request) {
  HttpResponse response = handler_.respond(request);
  ++stats_.responses_by_status[response.status];
  return response;
}

void HttpServer::on_refused_request(HttpConnection& connection, int status, const std::string& why) {
  ++stats_.responses_by_status[status];
  spdlog::debug("HTTP client {}: {} ({})", connection.peer().to_string(), status, why);
}

void HttpServer::on_closed(HttpConnection& connection) { closed_.push_back(connection.id()); }

void HttpServer::end_of_turn() {
  for (const std::uint64_t id : closed_) connections_.erase(id);
  closed_.clear();
}

}  // namespace chatroom
