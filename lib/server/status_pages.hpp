// What the HTTP listener serves: GET /healthz (200 while accepting, 503 while shutting down)
// and GET /metrics (Prometheus). HEAD works wherever GET does; other methods get 405 and
// other paths 404.
#pragma once

#include "http/http_handler.hpp"
#include "server/metrics_page.hpp"

namespace chatroom {

class StatusPages final : public HttpHandler {
 public:
  StatusPages(const ChatServer& server, const Reactor& reactor) : server_(server), reactor_(reactor) {}

  // Adds the HTTP listener's own counters to /metrics.
  void report_http(const HttpServer& http) { http_ = &http; }

  HttpResponse respond(const HttpRequest& request) override;

 private:
  const ChatServer& server_;
  const Reactor& reactor_;
  const HttpServer* http_ = nullptr;
};

}  // namespace chatroom
