// Reading, answering and keeping alive one HTTP client.
#include "http/http_connection.hpp"

#include <sys/socket.h>

#include <array>
#include <cerrno>

#include "net/socket_io.hpp"

namespace chatroom {
namespace {

constexpr std::size_t kReadChunkBytes = 16384;

}  // namespace

HttpConnection::HttpConnection(std::uint64_t id, UniqueFd socket, SocketAddress peer, Reactor& reactor,
                               HttpConnectionEvents& events, const HttpLimits& limits)
    : id_(id),
      socket_(std::move(socket)),
      peer_(peer),
      reactor_(reactor),
      events_(events),
      limits_(limits),
      parser_(limits.request) {}

HttpConnection::~HttpConnection() {
  if (request_timer_) reactor_.cancel_timer(*request_timer_);
  if (socket_) reactor_.unwatch(watch_);
}

void HttpConnection::start() {
  watch_ = reactor_.watch(socket_.get(), WatchMode::EdgeTriggered, *this);
  arm_request_timer();
  read_available();
}

void HttpConnection::handle_io(IoEvents events) {
  if (events.writable && !closed()) {
    writable_ = true;
    write_pending();
  }
  if ((events.readable || events.peer_hung_up || events.error) && !closed()) read_available();
}

void HttpConnection::read_available() {
  std::array<char, kReadChunkBytes> chunk{};
  // Edge-triggered: read until EAGAIN. The buffer cannot grow without bound: what is read is
  // parsed at once, and the parser refuses a head past its limit.
  while (!closed() && !peer_finished_) {
    const IoResult result = read_some(socket_.get(), chunk);
    if (result.is_transferred()) {
      input_.append(chunk.data(), result.bytes);
      answer_buffered_requests();
      // Pipelined requests wait while a response is being written; past a few heads' worth
      // of them the client is not behaving like one.
      if (input_.size() > 4 * limits_.request.max_head_bytes) {
        refuse(431, "too many pipelined requests");
        return;
      }
      continue;
    }
    if (result.is_would_block()) return;
    if (result.is_end_of_file()) {
      peer_finished_ = true;
      answer_buffered_requests();
      if (output_.empty()) close();
      return;
    }
    close();
    return;
  }
}

void HttpConnection::answer_buffered_requests() {
  // A response written at once ends in write_pending, which looks for the next request: that
  // is this loop's job while it runs.
  if (answering_) return;
  answering_ = true;
  while (!closed() && output_.empty() && !close_after_write_ && !input_.empty()) {
    const HttpRequestParser::Result result = parser_.feed(input_);
    input_.erase(0, result.consumed);
    switch (result.outcome) {
      case HttpRequestParser::Outcome::NeedMore:
        break;
      case HttpRequestParser::Outcome::Invalid:
        refuse(400, parser_.error());
        break;
      case HttpRequestParser::Outcome::TooLarge:
        if (parser_.body_too_large()) {
          refuse(413, "request body past the limit");
        } else {
          refuse(431, "request head past the limits");
        }
        break;
      case HttpRequestParser::Outcome::Complete: {
        const HttpRequest request = parser_.request();
        parser_.reset();
        HttpResponse response = events_.on_request(*this, request);
        if (response.take_over) {
          hand_over(std::move(response));
          break;
        }
        const bool keep_alive = request.keep_alive && !response.close && !peer_finished_;
        send_response(response, keep_alive, request.method == "HEAD");
        if (keep_alive && !closed()) arm_request_timer();
        continue;
      }
    }
    break;
  }
  answering_ = false;
}

void HttpConnection::refuse(int status, const std::string& why) {
  events_.on_refused_request(*this, status, why);
  send_response(HttpResponse::text(status, why + "\n"), false, false);
}

void HttpConnection::hand_over(HttpResponse response) {
  if (request_timer_) reactor_.cancel_timer(*request_timer_);
  request_timer_.reset();
  reactor_.unwatch(watch_);
  UpgradedConnection upgraded{std::move(socket_), peer_, serialize(response, true, false), std::move(input_)};
  input_.clear();
  events_.on_closed(*this);
  response.take_over(std::move(upgraded));
}

void HttpConnection::send_response(const HttpResponse& response, bool keep_alive, bool head_only) {
  output_ = serialize(response, keep_alive, head_only);
  output_sent_ = 0;
  close_after_write_ = !keep_alive;
  if (request_timer_) reactor_.cancel_timer(*request_timer_);
  request_timer_.reset();
  write_pending();
}

void HttpConnection::write_pending() {
  while (!closed() && writable_ && output_sent_ < output_.size()) {
    const iovec pending{output_.data() + output_sent_, output_.size() - output_sent_};
    const IoResult result = send_gathered(socket_.get(), std::span(&pending, 1));
    if (result.is_transferred()) {
      output_sent_ += result.bytes;
    } else if (result.is_would_block()) {
      writable_ = false;
      return;
    } else {
      close();
      return;
    }
  }
  if (closed() || output_sent_ < output_.size()) return;
  output_.clear();
  output_sent_ = 0;
  if (close_after_write_ || peer_finished_) {
    close();
    return;
  }
  answer_buffered_requests();  // a pipelined request may be waiting
}

void HttpConnection::arm_request_timer() {
  if (request_timer_) reactor_.cancel_timer(*request_timer_);
  request_timer_ = reactor_.run_after(limits_.request_timeout, [this] {
    request_timer_.reset();
    on_request_timeout();
  });
}

void HttpConnection::on_request_timeout() {
  if (closed()) return;
  // Half a request: tell the client. An idle kept-alive connection is just closed.
  if (!input_.empty() || parser_.started()) {
    refuse(408, "no complete request within the request timeout");
  } else {
    close();
  }
}

void HttpConnection::close() {
  if (closed()) return;
  if (request_timer_) reactor_.cancel_timer(*request_timer_);
  request_timer_.reset();
  shutdown_write(socket_.get());
  std::array<char, kReadChunkBytes> scratch{};
  discard_unread_input(socket_.get(), scratch, 16 * kReadChunkBytes);
  reactor_.unwatch(watch_);
  socket_.reset();
  events_.on_closed(*this);
}

}  // namespace chatroom
