// One HTTP request as chatroomd's HTTP listener sees it: the request line and the headers.
// Bodies are never kept (no route takes one).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chatroom {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", ...
  std::string target;  // the request target as sent: "/metrics", "/ws?x=1"
  std::vector<std::pair<std::string, std::string>> headers;
  bool keep_alive = false;  // what the client asked for (HTTP/1.1 default, Connection header)
  bool upgrade = false;     // an Upgrade header was present

  // The value of the first header named `name` (compared regardless of case).
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  // The target without its query string: "/ws?x=1" -> "/ws".
  [[nodiscard]] std::string_view path() const;
};

}  // namespace chatroom
