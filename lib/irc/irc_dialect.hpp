// IRC's words for the chat's events (RFC 2812, IRCv3 server-time): what irssi, WeeChat and
// bots read. A room `den` is channel "#den"; every member, whatever its protocol, appears as
// "nick!nick@SERVER" (no client's address is shown to others). Two instances serve a server:
// one for clients that asked for server-time, whose lines carry "@time=", and one for the rest.
#pragma once

#include <string>
#include <string_view>

#include "chat/dialect.hpp"

namespace chatroom {

class IrcDialect final : public Dialect {
 public:
  // `server_name`: the source of the server's own lines and the host of every member's mask.
  IrcDialect(std::size_t slot, std::string server_name, bool server_time);

  [[nodiscard]] const std::string& server_name() const { return server_name_; }
  [[nodiscard]] bool server_time() const { return server_time_; }

  // PRIVMSG (CTCP ACTION for acts), NOTICE from the server, JOIN, PART, QUIT, NICK. A text
  // longer than one IRC message allows is split into several, at UTF-8 character boundaries.
  // A replay carries its time as "@time=" with server-time, else as "[HH:MM:SS] " before the
  // text. The chat's answers to one member are NOTICEs from the server; nothing for a private
  // line's echo (the sender's session answers it: echo-message) or for a confirmation (the
  // session shows the change itself, as NICK or JOIN).
  [[nodiscard]] SharedBytes spell(const ChatEvent& event, std::string& scratch) const override;

 private:
  std::string server_name_;
  bool server_time_;
};

// "#den" for the room "den".
[[nodiscard]] std::string irc_channel_of(std::string_view room);
// The name a member goes by on IRC: its nickname, or, for a member that has none yet, its
// "ip:port" with every character a nickname may not hold made '-' ("127-0-0-1-40000").
[[nodiscard]] std::string irc_nick_of(std::string_view display_name);
// Appends "nick!user@host" for a member called `name`.
void append_irc_mask(std::string& out, std::string_view name, std::string_view host);
// Appends "@time=2026-12-03T17:20:00.123Z " (IRCv3 server-time: UTC, milliseconds).
void append_irc_time_tag(std::string& out, WallTime at);

}  // namespace chatroom
