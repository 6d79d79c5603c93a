// The HTTP listener: accepts, caps and owns HttpConnections, hands their requests to an
// HttpHandler, and counts what it answered. Same reactor, same thread as the chat.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "http/http_connection.hpp"
#include "http/http_handler.hpp"
#include "net/listener.hpp"
#include "reactor/reactor.hpp"
#include "reactor/throttled_warning.hpp"

namespace chatroom {

struct HttpServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // past --http-max-connections
  std::map<int, std::uint64_t> responses_by_status;
};

class HttpServer final : private IoHandler, private TurnHook, private HttpConnectionEvents {
 public:
  // `handler` must outlive the server.
  HttpServer(Reactor& reactor, Listener listener, HttpHandler& handler, HttpLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  [[nodiscard]] const SocketAddress& address() const { return address_; }
  [[nodiscard]] const HttpServerStats& stats() const { return stats_; }
  [[nodiscard]] std::size_t connection_count() const { return connections_.size(); }

 private:
  void handle_io(IoEvents events) override;
  void accept_pending();

  HttpResponse on_request(HttpConnection& connection, const HttpRequest& request) override;
  void on_refused_request(HttpConnection& connection, int status, const std::string& why) override;
  void on_closed(HttpConnection& connection) override;

  void end_of_turn() override;
  [[nodiscard]] bool has_pending_work() const override { return false; }

  Reactor& reactor_;
  Listener listener_;
  SocketAddress address_;
  HttpHandler& handler_;
  HttpLimits limits_;
  WatchId watch_;
  std::unordered_map<std::uint64_t, std::unique_ptr<HttpConnection>> connections_;
  std::vector<std::uint64_t> closed_;
  std::uint64_t next_id_ = 1;
  ThrottledWarning refusal_warning_{std::chrono::seconds(1)};
  HttpServerStats stats_;
};

}  // namespace chatroom
