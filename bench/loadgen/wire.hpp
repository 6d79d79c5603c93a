// How the load tool talks to a server: chatroom's line protocol, its WebSocket, IRC or Redis
// pub/sub, so all are driven by the same load and measured the same way.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "loadgen/load_config.hpp"

namespace chatroom::bench {

class WireEvents {
 public:
  // The connection is set up: chat's welcome line, or Redis's subscribe confirmation.
  virtual void on_ready() = 0;
  virtual void on_payload(std::string_view payload) = 0;
  // The server refused something (a Redis error reply, or an error line): fatal for the run.
  virtual void on_protocol_error(std::string_view what) = 0;
  // The server asked whether this client is still there (a WebSocket or IRC ping).
  virtual void on_ping(std::string_view /*payload*/) {}
  // The server accepted the client's registration (IRC's 001).
  virtual void on_registered() {}

 protected:
  ~WireEvents() = default;
};

class Wire {
 public:
  virtual ~Wire() = default;
  // Bytes every connection sends first (WebSocket's upgrade request, IRC's registration and
  // JOIN; nothing otherwise). `client_name` is unique in the run (an IRC nickname).
  virtual void append_connect(std::string& /*out*/, const Target& /*target*/, std::string_view /*client_name*/) const {}
  // Bytes every connection sends once the server accepted its registration (IRC's JOIN:
  // InspIRCd answers a JOIN before that with 451).
  virtual void append_after_registration(std::string& /*out*/) const {}
  // Bytes a receiver sends once connected (SUBSCRIBE for Redis; nothing otherwise).
  virtual void append_subscribe(std::string& out) const = 0;
  // Bytes a sender sends to broadcast `payload`.
  virtual void append_publish(std::string& out, std::string_view payload) const = 0;
  // The answer to on_ping (nothing for protocols without pings).
  virtual void append_pong(std::string& /*out*/, std::string_view /*payload*/) const {}
  // Handles every complete message at the start of `input`; returns the bytes consumed.
  virtual std::size_t parse(std::string_view input, WireEvents& events) const = 0;
  // Whether a sender must wait for on_ready before publishing.
  [[nodiscard]] virtual bool sender_waits_for_ready() const = 0;
};

[[nodiscard]] std::unique_ptr<Wire> make_chat_wire();
// chatroom's lines as WebSocket text frames, on chatroomd's HTTP listener (/ws).
[[nodiscard]] std::unique_ptr<Wire> make_websocket_wire();
[[nodiscard]] std::unique_ptr<Wire> make_redis_wire(std::string channel);
// IRC clients in one channel, #bench: chatroomd's --irc-port, ngIRCd, InspIRCd.
[[nodiscard]] std::unique_ptr<Wire> make_irc_wire();
// The wire for `target`'s kind.
[[nodiscard]] std::unique_ptr<Wire> make_wire(const Target& target);

// One line of chatroom's protocol, without its "\n": a broadcast's payload, the welcome (ready)
// or an error line.
void handle_chat_line(std::string_view line, WireEvents& events);

}  // namespace chatroom::bench
