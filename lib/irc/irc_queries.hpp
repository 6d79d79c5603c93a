// The IRC commands that only ask (NAMES, WHO, WHOIS, ISON, USERHOST, LIST, LUSERS), answered
// from what the hub knows of every member, on this node and the others.
#pragma once

#include <string>
#include <string_view>

#include "chat/participant.hpp"
#include "chat/room.hpp"
#include "irc/irc_replies.hpp"
#include "protocol/irc_message.hpp"

namespace chatroom {

class ChatHub;

class IrcQueries {
 public:
  // All three must outlive the queries; `asker` is the client asking.
  IrcQueries(ChatHub& hub, const Participant& asker, IrcReplies& replies) : hub_(hub), asker_(asker), replies_(replies) {}

  // Answers `message` if it is one of these commands; false if it is another.
  bool answer(const IrcMessage& message);

  // 353s and 366, as after a JOIN.
  void send_names(const Room& room);
  // 251, 254, 255, as after registration.
  void send_lusers();

 private:
  void names(const IrcMessage& message);
  void who(const IrcMessage& message);
  void who_reply(const std::string& channel, std::string_view name, bool away, bool is_operator);
  void whois(const IrcMessage& message);
  void is_on(const IrcMessage& message);
  void user_host(const IrcMessage& message);
  void list();

  ChatHub& hub_;
  const Participant& asker_;
  IrcReplies& replies_;
};

}  // namespace chatroom
