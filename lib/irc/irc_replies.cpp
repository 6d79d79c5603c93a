#include "irc/irc_replies.hpp"

#include "buffer/shared_bytes.hpp"
#include "irc/irc_dialect.hpp"

namespace chatroom {

void IrcReplies::numeric(std::string_view code, const std::string& rest) {
  send(":" + server_name() + " " + std::string(code) + " " + target() + " " + rest + "\r\n");
}

void IrcReplies::need_more_params(std::string_view command) {
  numeric("461", std::string(command) + " :Not enough parameters");
}

void IrcReplies::notice(const std::string& text) { send(":" + server_name() + " NOTICE " + target() + " :" + text + "\r\n"); }

void IrcReplies::send(const std::string& lines) { connection_.deliver(SharedBytes::copy_of(lines)); }

std::string IrcReplies::nick() const { return irc_nick_of(connection_.display_name()); }

std::string IrcReplies::target() const { return connection_.nickname().empty() ? "*" : nick(); }

std::string IrcReplies::own_mask() const {
  std::string mask;
  append_irc_mask(mask, nick(), server_name());
  return mask;
}

}  // namespace chatroom
