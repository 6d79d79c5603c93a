// Routing the HTTP listener's requests.
#include "server/http_site.hpp"

#include "http/prometheus_text.hpp"
#include "server/chat_server.hpp"
#include "web/web_assets.hpp"
#include "websocket/websocket_handshake.hpp"

namespace chatroom {
namespace {

HttpResponse only_get_and_head() {
  HttpResponse refused = HttpResponse::text(405, "only GET and HEAD here\n");
  refused.headers.emplace_back("Allow", "GET, HEAD");
  return refused;
}

HttpResponse page_file(const WebAsset& asset) {
  HttpResponse response = HttpResponse::text(200, std::string(asset.bytes));
  response.content_type = std::string(asset.content_type);
  // The page loads nothing from anywhere else and talks only to this server; should a chat
  // line ever be mistaken for markup, no script could run or send anything elsewhere.
  response.headers = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  };
  return response;
}

}  // namespace

HttpResponse HttpSite::respond(const HttpRequest& request) {
  const std::string_view path = request.path();
  if (path == "/ws") return open_websocket(request);
  const WebAsset* asset = find_web_asset(path);
  if (asset == nullptr && path != "/healthz" && path != "/metrics") return HttpResponse::text(404, "not found\n");
  if (request.method != "GET" && request.method != "HEAD") return only_get_and_head();
  if (asset != nullptr) return page_file(*asset);
  if (path == "/healthz") {
    // A load balancer stops sending clients here as soon as the shutdown starts.
    return server_.shutting_down() ? HttpResponse::text(503, "shutting down\n") : HttpResponse::text(200, "ok\n");
  }
  HttpResponse metrics = HttpResponse::text(200, metrics_page({server_, reactor_.load(), http_}));
  metrics.content_type = std::string(PrometheusText::kContentType);
  return metrics;
}

HttpResponse HttpSite::open_websocket(const HttpRequest& request) {
  if (server_.shutting_down()) {
    HttpResponse refused = HttpResponse::text(503, "shutting down\n");
    refused.close = true;
    return refused;
  }
  WebSocketUpgradeAnswer answer = answer_websocket_upgrade(request, origins_);
  if (answer.accepted) {
    answer.response.take_over = [&server = server_](UpgradedConnection upgraded) {
      server.admit_websocket(std::move(upgraded));
    };
  }
  return std::move(answer.response);
}

}  // namespace chatroom
