// Routing the HTTP listener's requests.
#include "server/status_pages.hpp"

#include "http/prometheus_text.hpp"

namespace chatroom {

HttpResponse StatusPages::respond(const HttpRequest& request) {
  const std::string_view path = request.path();
  if (path != "/healthz" && path != "/metrics") return HttpResponse::text(404, "not found\n");
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse refused = HttpResponse::text(405, "only GET and HEAD here\n");
    refused.headers.emplace_back("Allow", "GET, HEAD");
    return refused;
  }
  if (path == "/healthz") {
    // A load balancer stops sending clients here as soon as the shutdown starts.
    return server_.shutting_down() ? HttpResponse::text(503, "shutting down\n") : HttpResponse::text(200, "ok\n");
  }
  HttpResponse metrics = HttpResponse::text(200, metrics_page({server_, reactor_.load(), http_}));
  metrics.content_type = std::string(PrometheusText::kContentType);
  return metrics;
}

}  // namespace chatroom
