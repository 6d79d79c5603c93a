// What answers the HTTP listener's requests. The listener knows HTTP; the handler knows what
// the pages are (health, metrics), so the http/ layer needs nothing from the chat server.
#pragma once

#include "http/http_request.hpp"
#include "http/http_response.hpp"

namespace chatroom {

class HttpHandler {
 public:
  virtual HttpResponse respond(const HttpRequest& request) = 0;

 protected:
  ~HttpHandler() = default;
};

}  // namespace chatroom
