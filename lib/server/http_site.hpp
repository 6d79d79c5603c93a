// What the daemon's HTTP listener serves: the web client (GET / and its files), the chat over
// WebSocket (GET /ws), GET /healthz (200 while accepting, 503 while shutting down) and
// GET /metrics (Prometheus). HEAD works wherever GET does; other methods get 405 and other
// paths 404.
#pragma once

#include "http/http_handler.hpp"
#include "server/metrics_page.hpp"
#include "websocket/origin_policy.hpp"

namespace chatroom {

class HttpSite final : public HttpHandler {
 public:
  HttpSite(ChatServer& server, const Reactor& reactor, OriginPolicy origins)
      : server_(server), reactor_(reactor), origins_(std::move(origins)) {}

  // Adds the HTTP listener's own counters to /metrics.
  void report_http(const HttpServer& http) { http_ = &http; }

  HttpResponse respond(const HttpRequest& request) override;

 private:
  HttpResponse open_websocket(const HttpRequest& request);

  ChatServer& server_;
  const Reactor& reactor_;
  OriginPolicy origins_;
  const HttpServer* http_ = nullptr;
};

}  // namespace chatroom
