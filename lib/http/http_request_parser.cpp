// http-parser's callbacks, bounded.
#include "http/http_request_parser.hpp"

#include <algorithm>
#include <cctype>

namespace chatroom {
namespace {

HttpRequestParser& owner_of(http_parser* parser) { return *static_cast<HttpRequestParser*>(parser->data); }

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (same_ignoring_case(field, name)) return value;
  }
  return std::nullopt;
}

std::string_view HttpRequest::path() const {
  const std::string_view whole(target);
  return whole.substr(0, whole.find('?'));
}

HttpRequestParser::HttpRequestParser(HttpRequestLimits limits) : limits_(limits) {
  settings_.on_message_begin = &HttpRequestParser::on_message_begin;
  settings_.on_url = &HttpRequestParser::on_url;
  settings_.on_header_field = &HttpRequestParser::on_header_field;
  settings_.on_header_value = &HttpRequestParser::on_header_value;
  settings_.on_headers_complete = &HttpRequestParser::on_headers_complete;
  settings_.on_body = &HttpRequestParser::on_body;
  settings_.on_message_complete = &HttpRequestParser::on_message_complete;
  reset();
}

void HttpRequestParser::reset() {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
  request_ = HttpRequest{};
  head_bytes_ = 0;
  body_bytes_ = 0;
  in_header_value_ = false;
  started_ = false;
  complete_ = false;
  too_large_ = false;
  body_too_large_ = false;
}

HttpRequestParser::Result HttpRequestParser::feed(std::string_view bytes) {
  if (complete_) return {Outcome::Complete, 0};
  const std::size_t consumed = http_parser_execute(&parser_, &settings_, bytes.data(), bytes.size());
  if (complete_) return {Outcome::Complete, consumed};
  if (too_large_) return {Outcome::TooLarge, consumed};
  if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK) return {Outcome::Invalid, consumed};
  return {Outcome::NeedMore, consumed};
}

std::string HttpRequestParser::error() const {
  return http_errno_description(HTTP_PARSER_ERRNO(&parser_));
}

bool HttpRequestParser::within_head_limit(std::size_t length) {
  head_bytes_ += length;
  if (head_bytes_ <= limits_.max_head_bytes) return true;
  too_large_ = true;
  return false;
}

int HttpRequestParser::on_message_begin(http_parser* parser) {
  HttpRequestParser& self = owner_of(parser);
  self.request_ = HttpRequest{};
  self.started_ = true;
  return 0;
}

int HttpRequestParser::on_url(http_parser* parser, const char* at, std::size_t length) {
  HttpRequestParser& self = owner_of(parser);
  if (!self.within_head_limit(length)) return 1;
  self.request_.target.append(at, length);
  return 0;
}

int HttpRequestParser::on_header_field(http_parser* parser, const char* at, std::size_t length) {
  HttpRequestParser& self = owner_of(parser);
  if (!self.within_head_limit(length)) return 1;
  // A field may arrive in pieces; a new one starts after a value.
  if (self.in_header_value_ || self.request_.headers.empty()) {
    if (self.request_.headers.size() == self.limits_.max_headers) {
      self.too_large_ = true;
      return 1;
    }
    self.request_.headers.emplace_back();
    self.in_header_value_ = false;
  }
  self.request_.headers.back().first.append(at, length);
  return 0;
}

int HttpRequestParser::on_header_value(http_parser* parser, const char* at, std::size_t length) {
  HttpRequestParser& self = owner_of(parser);
  if (!self.within_head_limit(length)) return 1;
  self.in_header_value_ = true;
  self.request_.headers.back().second.append(at, length);
  return 0;
}

int HttpRequestParser::on_headers_complete(http_parser* parser) {
  HttpRequestParser& self = owner_of(parser);
  self.request_.method = http_method_str(static_cast<http_method>(parser->method));
  self.request_.keep_alive = http_should_keep_alive(parser) != 0;
  self.request_.upgrade = parser->upgrade != 0;
  return 0;
}

int HttpRequestParser::on_body(http_parser* parser, const char*, std::size_t length) {
  HttpRequestParser& self = owner_of(parser);
  self.body_bytes_ += length;
  if (self.body_bytes_ <= self.limits_.max_body_bytes) return 0;
  self.too_large_ = true;
  self.body_too_large_ = true;
  return 1;
}

int HttpRequestParser::on_message_complete(http_parser* parser) {
  HttpRequestParser& self = owner_of(parser);
  self.complete_ = true;
  // Stop here: bytes after this request (pipelined ones) wait until it is answered.
  http_parser_pause(parser, 1);
  return 0;
}

}  // namespace chatroom
