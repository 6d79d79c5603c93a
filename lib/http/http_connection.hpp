// One client of the HTTP listener: reads requests (one at a time, pipelined ones waiting
// their turn), hands each to the owner for a response, writes it, and keeps the connection
// for the next request or closes it. Requests have a deadline; bad ones get a 4xx and a close.
// It never frees itself: the owner hears of the close and destroys it after the turn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http/http_request_parser.hpp"
#include "http/http_response.hpp"
#include "net/socket_address.hpp"
#include "net/unique_fd.hpp"
#include "reactor/reactor.hpp"

namespace chatroom {

class HttpConnection;

struct HttpLimits {
  HttpRequestLimits request;
  // From the connection's start, or the last response, until a whole request has come.
  Duration request_timeout = std::chrono::seconds(10);
  // Connections at once; one more is answered 503 and closed.
  std::size_t max_connections = 256;
};

class HttpConnectionEvents {
 public:
  virtual HttpResponse on_request(HttpConnection& connection, const HttpRequest& request) = 0;
  // A request that was refused before it reached a handler (400, 408, 413, 431).
  virtual void on_refused_request(HttpConnection& connection, int status, const std::string& why) = 0;
  virtual void on_closed(HttpConnection& connection) = 0;

 protected:
  ~HttpConnectionEvents() = default;
};

class HttpConnection final : private IoHandler {
 public:
  HttpConnection(std::uint64_t id, UniqueFd socket, SocketAddress peer, Reactor& reactor,
                 HttpConnectionEvents& events, const HttpLimits& limits);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] const SocketAddress& peer() const { return peer_; }
  [[nodiscard]] bool closed() const { return !socket_; }
  // Reads what may already be waiting; the owner calls it once, after storing the connection.
  void start();
  void close();

 private:
  void handle_io(IoEvents events) override;
  void read_available();
  // Answers the complete requests buffered, one at a time, while nothing is being written.
  void answer_buffered_requests();
  void refuse(int status, const std::string& why);
  // Gives the socket to the response's take_over (a protocol upgrade) and ends this connection.
  void hand_over(HttpResponse response);
  void send_response(const HttpResponse& response, bool keep_alive, bool head_only);
  void write_pending();
  void arm_request_timer();
  void on_request_timeout();

  std::uint64_t id_;
  UniqueFd socket_;
  SocketAddress peer_;
  Reactor& reactor_;
  HttpConnectionEvents& events_;
  const HttpLimits& limits_;
  WatchId watch_;
  HttpRequestParser parser_;
  std::string input_;  // read and not yet parsed
  std::string output_;
  std::size_t output_sent_ = 0;
  bool writable_ = true;
  bool close_after_write_ = false;
  bool peer_finished_ = false;  // EOF: answer what came, then close
  bool answering_ = false;
  std::optional<TimerId> request_timer_;
};

}  // namespace chatroom
