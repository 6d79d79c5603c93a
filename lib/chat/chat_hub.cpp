// Commands, notices and history.
#include "chat/chat_hub.hpp"

#include "chat/name_rules.hpp"
#include "protocol/command_line.hpp"
#include "protocol/text_sanitizer.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

// \who names at most this many members: the line stays readable and bounded in a huge room.
constexpr std::size_t kMaxNamesListed = 500;
constexpr std::string_view kHelp =
    "commands: \\nick NAME, \\join ROOM, \\rooms, \\who, \\msg NAME TEXT, \\me ACTION, \\help, \\close "
    "(a line starting \\\\ is chat that starts with a backslash)";
constexpr std::string_view kNameRules = "1 to 32 letters, digits, _ or -";

// A name or word the client typed, safe and short enough to repeat back to it.
std::string shown(std::string_view untrusted) {
  std::string text;
  append_sanitized(text, untrusted.substr(0, 40));
  return text;
}

}  // namespace

void ChatHub::connect(Participant& member) { enter_room(member, kLobby); }

void ChatHub::disconnect(Participant& member, std::string_view why) {
  if (member.room() != nullptr) leave_room(member, why);
  if (!member.nickname().empty()) nicknames_.release(member.nickname());
}

Participant* ChatHub::find(std::string_view nickname) const {
  Participant* owner = nicknames_.owner_of(nickname);
  return owner != nullptr && !owner->gone() ? owner : nullptr;
}

void ChatHub::enter_room(Participant& member, std::string_view name) {
  Room& room = rooms_.open(name);
  room.history().for_each([&member](const MessageHistory::Entry& entry) {
    member.deliver(history_line(entry.sent_at, entry.line.view()));
  });
  room.join(member);
  member.set_room(&room);
  announce(room, std::string(member.display_name()) + " joined", &member);
}

void ChatHub::leave_room(Participant& member, std::string_view why) {
  Room& room = *member.room();
  room.leave(member);
  member.set_room(nullptr);
  std::string text = std::string(member.display_name()) + " left";
  if (!why.empty()) text.append(" (").append(why).append(")");
  announce(room, text, &member);
  rooms_.close_if_empty(room);
}

void ChatHub::announce(Room& room, std::string_view text, const Participant* subject) {
  // The room's size counting the subject, whether it is joining or has just left.
  const std::size_t size = room.contains(*subject) ? room.size() : room.size() + 1;
  if (size > settings_.announce_max_members || room.size() == 0) return;
  room.broadcast(notice_line(text), subject);
}

void ChatHub::broadcast_to_room(Room& room, const SharedBytes& message, const Participant* sender) {
  if (message.empty()) return;
  ++stats_.messages;
  stats_.deliveries += room.broadcast(message, sender);
  if (room.history().enabled()) room.history().record(message, std::chrono::system_clock::now());
}

ChatHub::Outcome ChatHub::on_line(Participant& member, std::string_view line) {
  const std::optional<CommandLine> command = parse_command(line);
  if (!command) {
    broadcast_to_room(*member.room(), encode_chat_line(member.display_name(), chat_text_of(line), scratch_), &member);
    return Outcome::Stay;
  }
  switch (client_command(command->name)) {
    case ClientCommand::Close:
      return Outcome::Leave;
    case ClientCommand::Nick:
      take_nickname(member, command->argument);
      break;
    case ClientCommand::Join:
      join(member, command->argument);
      break;
    case ClientCommand::Rooms:
      member.deliver(notice_line("rooms: " + rooms_summary()));
      break;
    case ClientCommand::Who:
      list_members(member);
      break;
    case ClientCommand::Msg:
      send_private(member, command->argument);
      break;
    case ClientCommand::Me:
      act(member, command->argument);
      break;
    case ClientCommand::Help:
      member.deliver(notice_line(kHelp));
      break;
    case ClientCommand::Unknown:
      member.deliver(error_line("unknown command \\" + shown(command->name) + " (try \\help)"));
      break;
  }
  return Outcome::Stay;
}

void ChatHub::take_nickname(Participant& member, std::string_view name) {
  if (name.empty()) {
    member.deliver(error_line("usage: \\nick NAME (" + std::string(kNameRules) + ")"));
    return;
  }
  switch (nicknames_.claim(name, member)) {
    case NicknameRegistry::Claim::Invalid:
      member.deliver(error_line("invalid nickname " + shown(name) + ": " + std::string(kNameRules)));
      return;
    case NicknameRegistry::Claim::Reserved:
      member.deliver(error_line("the nickname " + shown(name) + " is reserved"));
      return;
    case NicknameRegistry::Claim::Taken:
      member.deliver(error_line("the nickname " + shown(name) + " is taken"));
      return;
    case NicknameRegistry::Claim::Unchanged:
      if (member.nickname() == name) {
        member.deliver(notice_line("you are already known as " + shown(name)));
        return;
      }
      break;  // a new spelling of the same name
    case NicknameRegistry::Claim::Claimed:
      if (!member.nickname().empty()) nicknames_.release(member.nickname());
      break;
  }
  const std::string old_name(member.display_name());
  member.set_nickname(std::string(name));
  member.deliver(notice_line("you are now known as " + std::string(name)));
  announce(*member.room(), old_name + " is now known as " + std::string(name), &member);
}

void ChatHub::join(Participant& member, std::string_view name) {
  if (name.empty()) {
    member.deliver(error_line("usage: \\join ROOM (" + std::string(kNameRules) + ")"));
    return;
  }
  if (!is_valid_name(name)) {
    member.deliver(error_line("invalid room name " + shown(name) + ": " + std::string(kNameRules)));
    return;
  }
  if (fold_name(member.room()->name()) == fold_name(name)) {
    member.deliver(error_line("you are already in " + member.room()->name()));
    return;
  }
  leave_room(member, {});
  enter_room(member, name);
  const Room& room = *member.room();
  member.deliver(notice_line("you joined " + room.name() + " (" + std::to_string(room.size()) + " here)"));
}

void ChatHub::list_members(Participant& member) {
  const Room& room = *member.room();
  std::string text = "in " + room.name() + " (" + std::to_string(room.size()) + "):";
  std::size_t listed = 0;
  for (const Participant* other : room.members()) {
    if (listed == kMaxNamesListed) {
      text += " and " + std::to_string(room.size() - listed) + " more";
      break;
    }
    text.append(listed == 0 ? " " : ", ").append(other->display_name());
    ++listed;
  }
  member.deliver(notice_line(text));
}

void ChatHub::send_private(Participant& member, std::string_view argument) {
  const WordAndRest parts = split_first_word(argument);
  if (parts.word.empty() || parts.rest.empty()) {
    member.deliver(error_line("usage: \\msg NAME TEXT"));
    return;
  }
  Participant* recipient = find(parts.word);
  if (recipient == nullptr) {
    member.deliver(error_line("no such user: " + shown(parts.word)));
    return;
  }
  const SharedBytes message = encode_private_line(member.display_name(), parts.rest, scratch_);
  if (message.empty()) return;
  ++stats_.messages;
  ++stats_.deliveries;
  recipient->deliver(message);
  member.deliver(encode_private_echo(recipient->display_name(), parts.rest, scratch_));
}

void ChatHub::act(Participant& member, std::string_view action) {
  if (action.empty()) {
    member.deliver(error_line("usage: \\me ACTION"));
    return;
  }
  broadcast_to_room(*member.room(), encode_action_line(member.display_name(), action, scratch_), &member);
}

void ChatHub::broadcast_from_server(std::string_view text) {
  const SharedBytes message = encode_chat_line(kServerSenderName, text, scratch_);
  if (message.empty()) return;
  rooms_.for_each([&](Room& room) { broadcast_to_room(room, message, nullptr); });
}

std::string ChatHub::rooms_summary() const {
  std::string text;
  for (const RoomRegistry::Summary& room : rooms_.list()) {
    if (!text.empty()) text += ", ";
    text += room.name + " (" + std::to_string(room.members) + ")";
  }
  return text.empty() ? "none" : text;
}

}  // namespace chatroom
