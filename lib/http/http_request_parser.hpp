// Feeds bytes from a socket to http-parser (Debian's libhttp-parser) and collects one request
// at a time into a bounded HttpRequest (a body is counted and dropped). Limits are checked in the parser's callbacks, as the
// bytes arrive, never after a whole oversized head has been buffered.
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "http/http_request.hpp"

namespace chatroom {

struct HttpRequestLimits {
  std::size_t max_head_bytes = 8192;  // request line and headers
  std::size_t max_headers = 64;
  // No route takes a body; one this small is read and dropped, so that (say) a POST gets its
  // 405, while a larger one is refused with 413 rather than read.
  std::size_t max_body_bytes = 8192;
};

class HttpRequestParser {
 public:
  explicit HttpRequestParser(HttpRequestLimits limits);
  HttpRequestParser(const HttpRequestParser&) = delete;
  HttpRequestParser& operator=(const HttpRequestParser&) = delete;

  enum class Outcome {
    NeedMore,  // all of `bytes` taken, no complete request yet
    Complete,  // request() is ready; bytes after it (pipelined) were not taken
    Invalid,   // not HTTP: answer 400 and close
    TooLarge,  // past a limit: answer 431 (head) or 413 (a body) and close
  };
  struct Result {
    Outcome outcome;
    std::size_t consumed;
  };

  Result feed(std::string_view bytes);
  [[nodiscard]] const HttpRequest& request() const { return request_; }
  // Whether any byte of a request has been taken since the last reset.
  [[nodiscard]] bool started() const { return started_; }
  // For a response to TooLarge: whether the head or a body was too large.
  [[nodiscard]] bool body_too_large() const { return body_too_large_; }
  // Why the request was Invalid, for the log.
  [[nodiscard]] std::string error() const;
  // Ready for the next request on a kept-alive connection.
  void reset();

 private:
  static int on_message_begin(http_parser* parser);
  static int on_url(http_parser* parser, const char* at, std::size_t length);
  static int on_header_field(http_parser* parser, const char* at, std::size_t length);
  static int on_header_value(http_parser* parser, const char* at, std::size_t length);
  static int on_headers_complete(http_parser* parser);
  static int on_body(http_parser* parser, const char* at, std::size_t length);
  static int on_message_complete(http_parser* parser);
  // Counts `length` more bytes of the head; false (and the limit flagged) past it.
  bool within_head_limit(std::size_t length);

  HttpRequestLimits limits_;
  http_parser parser_{};
  http_parser_settings settings_{};
  HttpRequest request_;
  std::size_t head_bytes_ = 0;
  std::size_t body_bytes_ = 0;
  bool in_header_value_ = false;
  bool started_ = false;
  bool complete_ = false;
  bool too_large_ = false;
  bool body_too_large_ = false;
};

}  // namespace chatroom
