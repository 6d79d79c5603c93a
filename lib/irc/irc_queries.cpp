// The commands that only ask, answered from what the hub knows (docs/protocol.md, "IRC").
#include "irc/irc_queries.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "chat/chat_hub.hpp"
#include "irc/irc_dialect.hpp"
#include "irc/irc_words.hpp"

namespace chatroom {
namespace {

// Names per 353 line: short of 512 bytes with 32-byte nicknames.
constexpr std::size_t kNamesPerReply = 12;
// Members named by one NAMES or WHO: a room of more is listed in part.
constexpr std::size_t kMostNamesListed = 5000;

}  // namespace

bool IrcQueries::answer(const IrcMessage& message) {
  const std::string_view command = message.command;
  if (irc_command_is(command, "NAMES")) {
    names(message);
  } else if (irc_command_is(command, "WHO")) {
    who(message);
  } else if (irc_command_is(command, "WHOIS")) {
    whois(message);
  } else if (irc_command_is(command, "ISON")) {
    is_on(message);
  } else if (irc_command_is(command, "USERHOST")) {
    user_host(message);
  } else if (irc_command_is(command, "LIST")) {
    list();
  } else if (irc_command_is(command, "LUSERS")) {
    send_lusers();
  } else {
    return false;
  }
  return true;
}

void IrcQueries::names(const IrcMessage& message) {
  if (message.params.empty() || message.params[0].empty()) {  // every channel of the asker's
    for (const Room* room : asker_.rooms()) send_names(*room);
    if (asker_.rooms().empty()) replies_.numeric("366", "* :End of /NAMES list");
    return;
  }
  for (const std::string_view channel : split_list(message.params[0], ',')) {
    const std::string_view name = room_of(channel);
    if (const Room* room = name.empty() ? nullptr : hub_.room_of(asker_, name)) {
      send_names(*room);
    } else {
      replies_.numeric("366", shown_param(channel) + " :End of /NAMES list");
    }
  }
}

// One prefix, '@', so every prefix a member has is one (multi-prefix holds as it is).
void IrcQueries::send_names(const Room& room) {
  std::vector<ChatHub::MemberName> members;
  hub_.member_names(room, kMostNamesListed, members);
  const std::string channel = irc_channel_of(room.name());
  for (std::size_t first = 0; first < members.size(); first += kNamesPerReply) {
    std::string line = "= " + channel + " :";
    for (std::size_t i = first; i < std::min(members.size(), first + kNamesPerReply); ++i) {
      line.append(i == first ? "" : " ").append(members[i].is_operator ? "@" : "").append(irc_nick_of(members[i].name));
    }
    replies_.numeric("353", line);
  }
  replies_.numeric("366", channel + " :End of /NAMES list");
}

void IrcQueries::who(const IrcMessage& message) {
  const std::string_view mask = message.params.empty() ? std::string_view("*") : message.params[0];
  const std::string_view room_name = room_of(mask);
  const Room* room = room_name.empty() ? nullptr : hub_.room_of(asker_, room_name);
  if (room != nullptr) {
    std::vector<ChatHub::MemberName> members;
    hub_.member_names(*room, kMostNamesListed, members);
    for (const ChatHub::MemberName& member : members) {
      who_reply(irc_channel_of(room->name()), member.name, member.away, member.is_operator);
    }
  } else if (const std::optional<ChatHub::NicknameHolder> holder = hub_.holder_of(mask)) {
    // A 352 names one channel, or "*": the one the member joined last.
    const Seat* seat = holder->seats.empty() ? nullptr : &holder->seats.back();
    who_reply(seat == nullptr ? "*" : irc_channel_of(seat->room), holder->name, !holder->away.empty(),
              seat != nullptr && seat->room_operator);
  }
  replies_.numeric("315", std::string(mask) + " :End of /WHO list");
}

// H: here, G: gone (away); '@' for an operator.
void IrcQueries::who_reply(const std::string& channel, std::string_view name, bool away, bool is_operator) {
  const std::string nick = irc_nick_of(name);
  replies_.numeric("352", channel + " " + nick + " " + replies_.server_name() + " " + replies_.server_name() + " " + nick + (away ? " G" : " H") +
                     (is_operator ? "@" : "") + " :0 " + nick);
}

void IrcQueries::whois(const IrcMessage& message) {
  if (message.params.empty()) return replies_.numeric("431", ":No nickname given");
  // "WHOIS server nick" asks a given server: there is one.
  const std::string_view nickname = message.params.back();
  const std::optional<ChatHub::NicknameHolder> holder = hub_.holder_of(nickname);
  if (!holder) {
    replies_.numeric("401", std::string(nickname) + " :No such nick/channel");
  } else {
    const std::string nick = irc_nick_of(holder->name);
    replies_.numeric("311", nick + " " + nick + " " + replies_.server_name() + " * :" + nick);
    if (!holder->seats.empty()) {
      std::string channels;
      for (const Seat& seat : holder->seats) {
        channels.append(channels.empty() ? "" : " ").append(seat.room_operator ? "@" : "").append(irc_channel_of(seat.room));
      }
      replies_.numeric("319", nick + " :" + channels);
    }
    replies_.numeric("312", nick + " " + replies_.server_name() + " :" + replies_.settings().network);
    if (!holder->away.empty()) replies_.numeric("301", nick + " :" + holder->away);
  }
  replies_.numeric("318", std::string(nickname) + " :End of /WHOIS list");
}

// RFC 2812 4.9, what irssi's /notify polls: which of the nicknames asked for are here, on
// any node, as their holders spell them. Some clients send them as one trailing parameter.
void IrcQueries::is_on(const IrcMessage& message) {
  if (message.params.empty()) return replies_.need_more_params("ISON");
  std::string online;
  for (const std::string_view param : message.params) {
    for (const std::string_view nickname : split_list(param, ' ')) {
      const std::optional<ChatHub::NicknameHolder> holder = hub_.holder_of(nickname);
      if (holder) online.append(online.empty() ? "" : " ").append(irc_nick_of(holder->name));
    }
  }
  replies_.numeric("303", ":" + online);
}

// RFC 2812 4.8: up to five nicknames, each "nick=+nick@host", with '-' for one who is away.
void IrcQueries::user_host(const IrcMessage& message) {
  if (message.params.empty()) return replies_.need_more_params("USERHOST");
  constexpr std::size_t kMostAsked = 5;
  std::string replies;
  for (std::size_t i = 0; i < std::min(message.params.size(), kMostAsked); ++i) {
    const std::optional<ChatHub::NicknameHolder> holder = hub_.holder_of(message.params[i]);
    if (!holder) continue;
    const bool away = !holder->away.empty();
    const std::string nick = irc_nick_of(holder->name);
    replies.append(replies.empty() ? "" : " ").append(nick).append(away ? "=-" : "=+");
    replies.append(nick).append("@").append(replies_.server_name());
  }
  replies_.numeric("302", ":" + replies);
}

void IrcQueries::list() {
  replies_.numeric("321", "Channel :Users  Name");
  for (const RoomCount& room : hub_.room_counts()) {
    replies_.numeric("322", irc_channel_of(room.name) + " " + std::to_string(room.members) + " :");
  }
  replies_.numeric("323", ":End of /LIST");
}

void IrcQueries::send_lusers() {
  const std::size_t members = hub_.member_count();
  replies_.numeric("251", ":There are " + std::to_string(members) + " users and 0 invisible on 1 servers");
  replies_.numeric("254", std::to_string(hub_.rooms().size()) + " :channels formed");
  replies_.numeric("255", ":I have " + std::to_string(members) + " clients and 0 servers");
}

}  // namespace chatroom
