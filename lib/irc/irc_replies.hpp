// What the server says to one IRC client in its own name: numerics addressed to the client's
// nickname ("*" before it has one), notices, and lines written as they are.
#pragma once

#include <string>
#include <string_view>

#include "irc/irc_protocol.hpp"
#include "server/connection.hpp"

namespace chatroom {

class IrcReplies {
 public:
  // Both must outlive the replies.
  IrcReplies(Connection& connection, const IrcSettings& settings) : connection_(connection), settings_(settings) {}

  // ":SERVER CODE NICK REST".
  void numeric(std::string_view code, const std::string& rest);
  // 461 for `command`.
  void need_more_params(std::string_view command);
  // ":SERVER NOTICE NICK :TEXT".
  void notice(const std::string& text);
  // One or more whole lines, "\r\n" included.
  void send(const std::string& lines);

  [[nodiscard]] std::string nick() const;
  // The first parameter of a numeric: the client's nickname, "*" before it has one.
  [[nodiscard]] std::string target() const;
  // "nick!nick@SERVER".
  [[nodiscard]] std::string own_mask() const;
  [[nodiscard]] const std::string& server_name() const { return settings_.server_name; }
  [[nodiscard]] const IrcSettings& settings() const { return settings_; }

 private:
  Connection& connection_;
  const IrcSettings& settings_;
};

}  // namespace chatroom
