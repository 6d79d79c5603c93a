// The server's half of the WebSocket opening handshake (RFC 6455 section 4.2): checks an
// upgrade request and answers it with 101 Switching Protocols, or says why not.
#pragma once

#include <string>
#include <string_view>

#include "http/http_request.hpp"
#include "http/http_response.hpp"
#include "websocket/origin_policy.hpp"

namespace chatroom {

// base64(SHA-1(key + the RFC's GUID)): proves to the client that we read its request.
std::string websocket_accept_key(std::string_view client_key);

struct WebSocketUpgradeAnswer {
  bool accepted = false;
  // 101 with the accept key when accepted; otherwise 400, 403, 405 or 426 with the reason.
  HttpResponse response;
};

WebSocketUpgradeAnswer answer_websocket_upgrade(const HttpRequest& request, const OriginPolicy& origins);

}  // namespace chatroom
