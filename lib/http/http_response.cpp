// Writing HTTP/1.1 responses.
#include "http/http_response.hpp"

#include <http_parser.h>

namespace chatroom {

HttpResponse HttpResponse::text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

std::string serialize(const HttpResponse& response, bool keep_alive, bool head_only) {
  std::string bytes;
  if (response.status == 101) {
    bytes.append("HTTP/1.1 101 Switching Protocols\r\nServer: chatroomd\r\n");
    for (const auto& [name, value] : response.headers) bytes.append(name).append(": ").append(value).append("\r\n");
    bytes.append("\r\n");
    return bytes;
  }
  bytes.reserve(160 + response.body.size());
  bytes.append("HTTP/1.1 ")
      .append(std::to_string(response.status))
      .append(" ")
      .append(http_status_str(static_cast<http_status>(response.status)))
      .append("\r\nServer: chatroomd\r\nContent-Type: ")
      .append(response.content_type)
      .append("\r\nContent-Length: ")
      .append(std::to_string(response.body.size()))
      .append("\r\nCache-Control: no-store\r\nConnection: ")
      .append(keep_alive ? "keep-alive" : "close")
      .append("\r\n");
  for (const auto& [name, value] : response.headers) bytes.append(name).append(": ").append(value).append("\r\n");
  bytes.append("\r\n");
  if (!head_only) bytes.append(response.body);
  return bytes;
}

}  // namespace chatroom
