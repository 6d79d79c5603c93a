// The bytes of one HTTP/1.1 response: status line, a few headers, the body.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chatroom {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Beyond Content-Type, Content-Length, Connection and Date: e.g. {"Allow", "GET, HEAD"}.
  std::vector<std::pair<std::string, std::string>> headers;
  // The connection closes after this response, whatever the client asked for.
  bool close = false;

  static HttpResponse text(int status, std::string body);
};

// Serialises `response`. `keep_alive` says whether the connection stays open after it;
// `head_only` leaves the body out (a HEAD request) but keeps its Content-Length.
std::string serialize(const HttpResponse& response, bool keep_alive, bool head_only);

}  // namespace chatroom
