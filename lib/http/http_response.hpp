// The bytes of one HTTP/1.1 response: status line, a few headers, the body.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/socket_address.hpp"
#include "net/unique_fd.hpp"

namespace chatroom {

// A connection leaving the HTTP listener after a 101 response, for the new protocol's owner.
struct UpgradedConnection {
  UniqueFd socket;
  SocketAddress peer;
  std::string response;      // the 101 response, not yet sent: the new owner sends it first
  std::string unread_input;  // bytes the client sent after the request
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  // Beyond Content-Type, Content-Length, Connection and Date: e.g. {"Allow", "GET, HEAD"}.
  std::vector<std::pair<std::string, std::string>> headers;
  // The connection closes after this response, whatever the client asked for.
  bool close = false;
  // Set on a 101 response: who takes the connection over. The HTTP connection then writes
  // nothing itself; it hands over the socket, the serialised response and what it read past
  // the request, and is gone.
  std::function<void(UpgradedConnection)> take_over;

  static HttpResponse text(int status, std::string body);
};

// Serialises `response`. `keep_alive` says whether the connection stays open after it;
// `head_only` leaves the body out (a HEAD request) but keeps its Content-Length. A 101 response
// has neither body nor Content-Length, only its own headers.
std::string serialize(const HttpResponse& response, bool keep_alive, bool head_only);

}  // namespace chatroom
