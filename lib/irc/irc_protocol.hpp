// IRC as one of the server's protocols (RFC 1459 and 2812 as modern clients use them, with
// IRCv3 capability negotiation): the listener's ClientProtocol, its Wording ("ERROR :..." and
// server NOTICEs), the dialects its members speak, and a session per client (irc_session).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "irc/irc_dialect.hpp"
#include "server/session.hpp"

namespace chatroom {

struct IrcSettings {
  // The server's name in its replies and in every member's mask ("nick!nick@NAME").
  std::string server_name = "chatroomd";
  // ISUPPORT's NETWORK, shown by clients as the network's name.
  std::string network = "chatroom";
  std::string version = "chatroomd-0.1.0";
  // A registered client that sent nothing for this long is sent a PING, and cut off if it
  // still sends nothing for as long again; 0: never.
  std::chrono::milliseconds ping_interval{120'000};
  // A client must register (NICK, USER, CAP END) within this; 0: no limit.
  std::chrono::milliseconds registration_timeout{60'000};
};

class IrcWording final : public Wording {
 public:
  explicit IrcWording(std::string server_name) : server_name_(std::move(server_name)) {}
  // ":SERVER NOTICE NICK :TEXT" ("*" before the client has a nickname).
  [[nodiscard]] SharedBytes error(const Participant& client, std::string_view text) const override;
  // "ERROR :TEXT", after which the server closes the link (RFC 2812 3.7.4).
  [[nodiscard]] SharedBytes last_words(std::string_view text) const override;
  [[nodiscard]] SharedBytes shutting_down() const override;

 private:
  std::string server_name_;
};

class IrcProtocol final : public ClientProtocol {
 public:
  // Dialect slots 1 and 2 (0 is the line protocol's).
  explicit IrcProtocol(IrcSettings settings = {});

  [[nodiscard]] const Wording& wording() const override { return wording_; }
  [[nodiscard]] std::unique_ptr<Session> open_session(Connection& connection, SessionContext& context) override;

  [[nodiscard]] const IrcSettings& settings() const { return settings_; }
  // The dialect for a client with or without server-time.
  [[nodiscard]] const IrcDialect& dialect(bool server_time) const { return server_time ? timed_ : plain_; }
  // When the server started, for 003 and the channels' creation time (329).
  [[nodiscard]] WallTime started_at() const { return started_at_; }

 private:
  IrcSettings settings_;
  IrcWording wording_;
  IrcDialect plain_;
  IrcDialect timed_;
  WallTime started_at_;
};

}  // namespace chatroom
