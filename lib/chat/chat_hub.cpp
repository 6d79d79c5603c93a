// Commands, notices and history.
#include "chat/chat_hub.hpp"

#include <algorithm>

#include "chat/name_rules.hpp"
#include "protocol/line_kind.hpp"
#include "protocol/command_line.hpp"
#include "protocol/text_sanitizer.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

// \who names at most this many members: the line stays readable and bounded in a huge room.
constexpr std::size_t kMaxNamesListed = 500;
constexpr std::string_view kHelp =
    "commands: \\nick NAME, \\join ROOM, \\rooms, \\who, \\msg NAME TEXT, \\me ACTION, \\topic [TEXT], \\invite NAME, \\help, \\close "
    "(a line starting \\\\ is chat that starts with a backslash)";
constexpr std::string_view kNameRules = "1 to 32 letters, digits, _ or -";
// Lines held for one member while its nickname is decided: the answer takes a round trip to
// Redis, so only a stalled Redis (answered by ClusterNode's claim timeout) comes near these.
constexpr std::size_t kMaxHeldLines = 256;
constexpr std::size_t kMaxHeldBytes = 256 * 1024;

// What history keeps of a broadcast event.
ChatKind said_kind(ChatEvent::Kind kind) {
  switch (kind) {
    case ChatEvent::Kind::Acted:
      return ChatKind::Action;
    case ChatEvent::Kind::ServerSaid:
      return ChatKind::Server;
    default:
      return ChatKind::Chat;
  }
}

// A name or word the client typed, safe and short enough to repeat back to it.
std::string shown(std::string_view untrusted) {
  std::string text;
  append_sanitized(text, untrusted.substr(0, 40));
  return text;
}

}  // namespace

void ChatHub::tell(Participant& member, ChatEvent::Kind kind, std::string_view text) {
  member.tell(ChatEvent::answer(kind, member.display_name(), text), scratch_);
}

void ChatHub::connect(Participant& member) {
  admit(member);
  enter_lobby(member);
}

void ChatHub::admit(Participant& member) {
  member.set_member_id(next_member_id_++);
  ++admitted_;
  if (peers_ != nullptr) members_by_id_.emplace(member.member_id(), &member);
}

void ChatHub::enter_lobby(Participant& member) { enter_room(member, kLobby); }

void ChatHub::disconnect(Participant& member, std::string_view why) {
  if (member.member_id() == 0) return;  // never let in (held at the password gate)
  if (held_for_ == &member) say_held_chat();  // what it said before it left
  --admitted_;
  leave_all_rooms(member, why);
  if (!member.nickname().empty()) {
    nicknames_.release(member.nickname());
    if (peers_ != nullptr) peers_->release_nickname(member.nickname());
  }
  // A claim still in flight is given back when its answer comes (finish_nickname_claim).
  if (const auto pending = pending_claims_.find(member.member_id()); pending != pending_claims_.end()) {
    nicknames_.release(pending->second.name);
    pending->second.held_lines.clear();
  }
  members_by_id_.erase(member.member_id());
}

Participant* ChatHub::member_by_id(std::uint64_t id) const {
  const auto found = members_by_id_.find(id);
  return found == members_by_id_.end() ? nullptr : found->second;
}

std::size_t ChatHub::room_size(const Room& room) const {
  return room.size() + (peers_ != nullptr ? peers_->members_elsewhere(room.name()) : 0);
}

Participant* ChatHub::find(std::string_view nickname) const {
  Participant* owner = nicknames_.owner_of(nickname);
  return owner != nullptr && !owner->gone() ? owner : nullptr;
}

std::optional<ChatHub::NicknameHolder> ChatHub::holder_of(std::string_view nickname) const {
  if (const Participant* member = find(nickname)) {
    NicknameHolder holder{member->nickname(), std::string(member->away_message()), {}, member};
    for (const Room* room : member->rooms()) holder.seats.push_back(Seat{room->name(), room->is_operator(*member)});
    return holder;
  }
  if (peers_ == nullptr) return std::nullopt;
  std::optional<MemberElsewhere> elsewhere = peers_->member_elsewhere(nickname);
  if (!elsewhere) return std::nullopt;
  // Another node's words, as away_changed_elsewhere shows them.
  return NicknameHolder{std::move(elsewhere->name), sanitized_within(elsewhere->away, kMaxTopicBytes),
                        std::move(elsewhere->seats), nullptr};
}

Room* ChatHub::room_of(const Participant& member, std::string_view name) const {
  const std::string folded = fold_name(name);
  for (Room* room : member.rooms()) {
    if (fold_name(room->name()) == folded) return room;
  }
  return nullptr;
}

std::vector<Room*> ChatHub::open_rooms_named(std::span<const std::string> names) {
  std::vector<Room*> open;
  for (const std::string& name : names) {
    if (Room* room = rooms_.find(name); room != nullptr && std::find(open.begin(), open.end(), room) == open.end()) {
      open.push_back(room);
    }
  }
  return open;
}

void ChatHub::enter_room(Participant& member, std::string_view name) {
  Room& room = rooms_.open(name);
  room.join(member);
  member.add_room(room);
  if (room_size(room) == 1) room.make_operator(member);  // it opened the room, on every node
  member.on_entered(room);
  room.history().for_each([&](const SaidLine& line) {
    member.tell(ChatEvent::replay(room.name(), line), scratch_);
  });
  if (peers_ != nullptr) peers_->entered(member, room);
  announce(room, ChatEvent::joined(room.name(), member.display_name()), &member);
  // After its JOIN, as away-notify asks, wherever the JOIN was told.
  if (!member.away_message().empty() && room_size(room) <= settings_.announce_max_members) {
    Room* const joined[] = {&room};
    tell_away_once(joined, member.display_name(), member.away_message(), &member);
  }
  if (peers_ != nullptr && room.size() == 1 && room.topic().text.empty()) {
    // This node has just opened the room: the others know its topic.
    peers_->fetch_topic(room.name(), [this, name = room.name()](const Room::Topic& topic) {
      if (!topic.text.empty()) topic_set_elsewhere(name, topic);
    });
  }
  if (peers_ != nullptr && room.history().enabled() && room.history().size() == 0) {
    // Nothing was said here since this node opened the room: what was said elsewhere is kept
    // by the peers.
    peers_->fetch_history(room.name(), settings_.history_lines,
                          [this, id = member.member_id(), name = room.name()](std::vector<SaidLine> lines) {
                            replay_history_from_elsewhere(id, name, lines);
                          });
  }
}

void ChatHub::replay_history_from_elsewhere(std::uint64_t member_id, const std::string& room_name,
                                            const std::vector<SaidLine>& lines) {
  Participant* member = member_by_id(member_id);
  if (member == nullptr || member->gone()) return;
  Room* in = room_of(*member, room_name);
  if (in == nullptr) return;  // it has moved on
  Room& room = *in;
  const bool seed = room.history().size() == 0;
  for (const SaidLine& line : lines) {
    if (!keep_clean_text(line.text)) continue;
    member->tell(ChatEvent::said(line.kind, room.name(), line.sender, clean_text_, line.sent_at, /*replayed=*/true),
                 scratch_);
    if (seed) room.history().record(line.kind, line.sender, clean_text_, line.sent_at);
  }
}

void ChatHub::leave_room(Participant& member, Room& room, std::string_view why, Participant::Leaving how,
                         std::string_view kicked_by) {
  room.leave(member);
  member.remove_room(room);
  member.on_left(room, how, why);
  if (how == Participant::Leaving::Kicked) {
    if (peers_ != nullptr) peers_->kicked(member, room, kicked_by, why);
  } else {
    if (peers_ != nullptr) peers_->left(member, room, why);
    announce(room, ChatEvent::left(room.name(), member.display_name(), why), &member);
  }
  rooms_.close_if_empty(room);
}

void ChatHub::leave_all_rooms(Participant& member, std::string_view why) {
  if (member.rooms().empty()) return;
  const std::vector<Room*> rooms(member.rooms().begin(), member.rooms().end());
  for (Room* room : rooms) {
    room->leave(member);
    member.remove_room(*room);
    member.on_left(*room, Participant::Leaving::Quit, why);
  }
  announce_once(rooms, &member,
                [&](const Room& room) { return ChatEvent::quit(room.name(), member.display_name(), why); });
  if (peers_ != nullptr) peers_->quit(member, rooms, why);
  for (Room* room : rooms) rooms_.close_if_empty(*room);
}

template <typename EventIn>
void ChatHub::announce_once(std::span<Room* const> rooms, const Participant* subject, EventIn event_in) {
  const std::uint64_t round = ++announce_round_;
  for (Room* room : rooms) {
    // The room's size counting the subject, whether it is in it or has just left.
    const std::size_t size = room_size(*room) + (subject == nullptr || room->contains(*subject) ? 0 : 1);
    if (size > settings_.announce_max_members || room->size() == 0) continue;
    const ChatEvent event = event_in(*room);
    Broadcast broadcast(event, scratch_);
    for (Participant* other : room->members()) {
      if (other == subject || !other->first_to_hear(round)) continue;
      const SharedBytes& spelled = broadcast.spelled_in(other->dialect());
      if (!spelled.empty()) other->deliver(spelled);
    }
  }
}

void ChatHub::announce(Room& room, const ChatEvent& event, const Participant* subject) {
  // The room's size counting the subject, whether it is joining or has just left.
  const std::size_t size = room_size(room) + (room.contains(*subject) ? 0 : 1);
  if (size > settings_.announce_max_members || room.size() == 0) return;
  Broadcast broadcast(event, scratch_);
  room.broadcast(broadcast, subject);
}

bool ChatHub::keep_clean_text(std::string_view text) {
  clean_text_.clear();
  append_sanitized(clean_text_, text);
  return classify_line(clean_text_) != LineKind::Blank;
}

void ChatHub::broadcast_to_room(Room& room, const ChatEvent& event, const Participant* sender) {
  broadcast_to_room(room, std::span(&event, 1), sender);
}

void ChatHub::broadcast_to_room(Room& room, std::span<const ChatEvent> events, const Participant* sender) {
  stats_.messages += events.size();
  Broadcast broadcast(events, scratch_);
  stats_.deliveries += room.broadcast(broadcast, sender) * events.size();
  if (!room.history().enabled()) return;
  for (const ChatEvent& event : events) {
    room.history().record(said_kind(event.kind), event.sender, event.text, event.sent_at);
  }
}

void ChatHub::say(Participant& member, Room& room, ChatKind kind, std::string_view text) {
  if (!keep_clean_text(text)) return;
  const WallTime now = std::chrono::system_clock::now();
  broadcast_to_room(room, ChatEvent::said(kind, room.name(), member.display_name(), clean_text_, now), &member);
  if (peers_ != nullptr) peers_->said(room, member, kind, clean_text_, now);
}

bool ChatHub::is_plain_chat(const Participant& member, std::string_view line) const {
  return !parse_command(line) && !pending_claims_.contains(member.member_id());
}

void ChatHub::hold_chat(Participant& member, std::string_view line) {
  if (held_for_ != &member) say_held_chat();
  if (!keep_clean_text(chat_text_of(line))) return;
  held_for_ = &member;
  held_chat_.add(clean_text_);
}

void ChatHub::say_held_chat() {
  if (held_chat_.empty()) return;
  say_together(*held_for_, held_chat_);
  held_chat_.clear();
  held_for_ = nullptr;
}

void ChatHub::say_together(Participant& member, const LineRun& texts) {
  Room& room = *member.room();
  const WallTime now = std::chrono::system_clock::now();
  run_events_.clear();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    run_events_.push_back(ChatEvent::said(ChatKind::Chat, room.name(), member.display_name(), texts[i], now));
  }
  broadcast_to_room(room, run_events_, &member);
  if (peers_ == nullptr) return;
  for (const ChatEvent& event : run_events_) peers_->said(room, member, ChatKind::Chat, event.text, now);
}

ChatHub::Outcome ChatHub::on_line(Participant& member, std::string_view line) {
  if (!pending_claims_.empty()) {
    if (const auto pending = pending_claims_.find(member.member_id()); pending != pending_claims_.end()) {
      return hold_line(member, pending->second, line);
    }
  }
  return handle_line(member, line);
}

ChatHub::Outcome ChatHub::hold_line(Participant& member, PendingClaim& claim, std::string_view line) {
  const std::optional<CommandLine> command = parse_command(line);
  if (command && client_command(command->name) == ClientCommand::Close) {
    // Leaving: what it said before goes out now, under the name it has. (No new claim: it is
    // going.)
    const std::deque<std::string> held = std::exchange(claim.held_lines, {});
    claim.held_bytes = 0;
    for (const std::string& earlier : held) {
      const std::optional<CommandLine> earlier_command = parse_command(earlier);
      if (earlier_command && client_command(earlier_command->name) == ClientCommand::Nick) continue;
      handle_line(member, earlier);
    }
    return Outcome::Leave;
  }
  if (claim.held_lines.size() == kMaxHeldLines || claim.held_bytes + line.size() > kMaxHeldBytes) {
    tell_error(member, "line dropped: still waiting for the other nodes to answer about " + shown(claim.name));
    return Outcome::Stay;
  }
  claim.held_bytes += line.size();
  claim.held_lines.emplace_back(line);
  return Outcome::Stay;
}

ChatHub::Outcome ChatHub::handle_line(Participant& member, std::string_view line) {
  const std::optional<CommandLine> command = parse_command(line);
  if (!command) {
    say(member, *member.room(), ChatKind::Chat, chat_text_of(line));
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
      tell_notice(member, "rooms: " + rooms_summary());
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
    case ClientCommand::Topic:
      topic_command(member, command->argument);
      break;
    case ClientCommand::Invite:
      invite_command(member, command->argument);
      break;
    case ClientCommand::Help:
      tell_notice(member, kHelp);
      break;
    case ClientCommand::Pass:  // the server checks it before a client joins the chat
      tell_notice(member, "no password needed: you are in the chat already");
      break;
    case ClientCommand::Unknown:
      tell_error(member, "unknown command \\" + shown(command->name) + " (try \\help)");
      break;
  }
  return Outcome::Stay;
}

void ChatHub::take_nickname(Participant& member, std::string_view name) {
  if (name.empty()) {
    tell_error(member, "usage: \\nick NAME (" + std::string(kNameRules) + ")");
    return;
  }
  switch (claim_nickname(member, name)) {
    case NicknameClaim::Invalid:
      tell_error(member, "invalid nickname " + shown(name) + ": " + std::string(kNameRules));
      return;
    case NicknameClaim::Reserved:
      tell_error(member, "the nickname " + shown(name) + " is reserved");
      return;
    case NicknameClaim::Taken:
      tell_error(member, "the nickname " + shown(name) + " is taken");
      return;
    case NicknameClaim::Unchanged:
      tell_notice(member, "you are already known as " + shown(name));
      return;
    case NicknameClaim::Renamed:
    case NicknameClaim::Pending:
      return;
  }
}

ChatHub::NicknameClaim ChatHub::claim_nickname(Participant& member, std::string_view name) {
  switch (nicknames_.claim(name, member)) {
    case NicknameRegistry::Claim::Invalid:
      return NicknameClaim::Invalid;
    case NicknameRegistry::Claim::Reserved:
      return NicknameClaim::Reserved;
    case NicknameRegistry::Claim::Taken:
      return NicknameClaim::Taken;
    case NicknameRegistry::Claim::Unchanged:
      if (member.nickname() == name) return NicknameClaim::Unchanged;
      break;  // a new spelling of the same name
    case NicknameRegistry::Claim::Claimed:
      if (peers_ != nullptr) {
        // Held here meanwhile, so a member of this node cannot race for it too.
        pending_claims_.emplace(member.member_id(), PendingClaim{std::string(name), {}, 0});
        peers_->claim_nickname(name, [this, id = member.member_id(), claimed = std::string(name)](bool granted) {
          finish_nickname_claim(id, claimed, granted);
        });
        return NicknameClaim::Pending;
      }
      if (!member.nickname().empty()) nicknames_.release(member.nickname());
      break;
  }
  rename(member, name);
  return NicknameClaim::Renamed;
}

void ChatHub::finish_nickname_claim(std::uint64_t member_id, const std::string& name, bool granted) {
  std::deque<std::string> held;
  if (const auto pending = pending_claims_.find(member_id); pending != pending_claims_.end()) {
    held = std::move(pending->second.held_lines);
    pending_claims_.erase(pending);
  }
  Participant* member = member_by_id(member_id);
  if (member == nullptr) {
    // It left while the other nodes were asked; disconnect() has already freed the name here.
    if (granted) peers_->release_nickname(name);
    return;
  }
  if (!granted) {
    nicknames_.release(name);
    tell_error(*member, "the nickname " + shown(name) + " is taken");
    member->on_nickname_refused(name);
  } else {
    if (!member->nickname().empty()) {
      nicknames_.release(member->nickname());
      peers_->release_nickname(member->nickname());
    }
    rename(*member, name);
  }
  replay_held_lines(*member, std::move(held));
}

void ChatHub::replay_held_lines(Participant& member, std::deque<std::string> held) {
  while (!held.empty() && !member.gone()) {
    if (const auto pending = pending_claims_.find(member.member_id()); pending != pending_claims_.end()) {
      // A held \nick asked again: the rest waits for that answer, ahead of anything newer.
      for (auto line = held.rbegin(); line != held.rend(); ++line) {
        pending->second.held_bytes += line->size();
        pending->second.held_lines.push_front(std::move(*line));
      }
      return;
    }
    handle_line(member, held.front());  // never \close: that is not held
    held.pop_front();
  }
}

void ChatHub::rename(Participant& member, std::string_view name) {
  const std::string old_name(member.display_name());
  member.set_nickname(std::string(name));
  tell(member, ChatEvent::Kind::Confirmation, "you are now known as " + std::string(name));
  if (!member.rooms().empty()) {
    announce_once(member.rooms(), &member,
                  [&](const Room& room) { return ChatEvent::renamed(room.name(), old_name, name); });
    if (peers_ != nullptr) peers_->renamed(member, old_name);
  }
  // Last: a session may act on it (an IRC client's registration brings it into the lobby).
  member.on_renamed(old_name);
}

void ChatHub::join(Participant& member, std::string_view name) {
  if (name.empty()) {
    tell_error(member, "usage: \\join ROOM (" + std::string(kNameRules) + ")");
    return;
  }
  if (!is_valid_name(name)) {
    tell_error(member, "invalid room name " + shown(name) + ": " + std::string(kNameRules));
    return;
  }
  if (member.rooms().size() == 1 && fold_name(member.room()->name()) == fold_name(name)) {
    tell_error(member, "you are already in " + member.room()->name());
    return;
  }
  const std::vector<Room*> before(member.rooms().begin(), member.rooms().end());
  for (Room* room : before) {
    if (fold_name(room->name()) != fold_name(name)) leave_room(member, *room, {}, Participant::Leaving::MovedOn);
  }
  if (member.rooms().empty()) enter_room(member, name);
  const Room& room = *member.room();
  tell(member, ChatEvent::Kind::Confirmation, "you joined " + room.name() + " (" + std::to_string(room_size(room)) + " here)");
  if (!room.topic().text.empty()) tell(member, ChatEvent::Kind::Confirmation, "topic: " + room.topic().text);
}

ChatHub::JoinOutcome ChatHub::join_also(Participant& member, std::string_view name) {
  if (!is_valid_name(name)) return JoinOutcome::Invalid;
  if (room_of(member, name) != nullptr) return JoinOutcome::AlreadyThere;
  if (member.rooms().size() >= settings_.max_rooms_per_member) return JoinOutcome::TooMany;
  enter_room(member, name);
  return JoinOutcome::Joined;
}

ChatHub::PartOutcome ChatHub::part(Participant& member, std::string_view name, std::string_view why) {
  Room* room = room_of(member, name);
  if (room == nullptr) return PartOutcome::NotThere;
  const bool last = member.rooms().size() == 1;
  if (last && fold_name(room->name()) == fold_name(kLobby)) return PartOutcome::StaysInLobby;
  leave_room(member, *room, sanitized_within(why, kMaxTopicBytes), Participant::Leaving::Parted);
  if (last) enter_lobby(member);
  return PartOutcome::Parted;
}

void ChatHub::list_members(Participant& member) {
  const Room& room = *member.room();
  const std::size_t size = room_size(room);
  std::string text = "in " + room.name() + " (" + std::to_string(size) + "):";
  std::size_t listed = 0;
  for (const Participant* other : room.members()) {
    if (listed == kMaxNamesListed) break;
    text.append(listed == 0 ? " " : ", ").append(other->display_name());
    ++listed;
  }
  if (peers_ != nullptr && listed < kMaxNamesListed) {
    std::vector<MemberElsewhere> elsewhere;
    peers_->list_members_elsewhere(room.name(), kMaxNamesListed - listed, elsewhere);
    for (const MemberElsewhere& other : elsewhere) {
      text.append(listed == 0 ? " " : ", ").append(other.name);
      ++listed;
    }
  }
  if (listed < size) text += " and " + std::to_string(size - listed) + " more";
  tell_notice(member, text);
}

void ChatHub::send_private(Participant& member, std::string_view argument) {
  const WordAndRest parts = split_first_word(argument);
  if (parts.word.empty() || parts.rest.empty()) {
    tell_error(member, "usage: \\msg NAME TEXT");
    return;
  }
  send_private(member, parts.word, parts.rest);
}

void ChatHub::send_private(Participant& member, std::string_view nickname, std::string_view text) {
  const WordAndRest parts{nickname, text};
  Participant* recipient = find(parts.word);
  const bool says_something = keep_clean_text(parts.rest);
  if (recipient == nullptr) {
    if (peers_ != nullptr && !says_something) return;  // nothing to ask the other nodes about
    if (peers_ == nullptr || !peers_->send_private(member, parts.word, clean_text_)) {
      tell_error(member, "no such user: " + shown(parts.word));
      return;
    }
    ++stats_.messages;
  } else {
    if (!says_something) return;
    ++stats_.messages;
    ++stats_.deliveries;
    recipient->tell(ChatEvent::private_line(recipient->display_name(), member.display_name(), clean_text_), scratch_);
  }
  const std::string_view to = recipient != nullptr ? recipient->display_name() : parts.word;
  member.tell(ChatEvent::private_echo(to, member.display_name(), clean_text_), scratch_);
}

ChatHub::InviteOutcome ChatHub::invite(Participant& by, const Room& room, std::string_view nickname) {
  if (Participant* guest = find(nickname)) {
    if (guest->is_in(room)) return InviteOutcome::AlreadyThere;
    ++stats_.deliveries;
    guest->tell(ChatEvent::invited(guest->display_name(), by.display_name(), room.name()), scratch_);
    return InviteOutcome::Done;
  }
  if (peers_ == nullptr) return InviteOutcome::NoSuchMember;
  const std::optional<MemberElsewhere> elsewhere = peers_->member_elsewhere(nickname);
  if (!elsewhere) return InviteOutcome::NoSuchMember;
  const bool there = std::any_of(elsewhere->seats.begin(), elsewhere->seats.end(),
                                 [&](const Seat& seat) { return fold_name(seat.room) == fold_name(room.name()); });
  if (there) return InviteOutcome::AlreadyThere;
  const std::string text = "invites you to " + room.name() + ": \\join " + room.name();
  return peers_->send_private(by, elsewhere->name, text) ? InviteOutcome::Done : InviteOutcome::NoSuchMember;
}

void ChatHub::invite_command(Participant& member, std::string_view argument) {
  const WordAndRest parts = split_first_word(argument);
  if (parts.word.empty() || !parts.rest.empty()) {
    tell_error(member, "usage: \\invite NAME");
    return;
  }
  switch (invite(member, *member.room(), parts.word)) {
    case InviteOutcome::Done:
      tell(member, ChatEvent::Kind::Confirmation, "invited " + shown(parts.word) + " to " + member.room()->name());
      return;
    case InviteOutcome::NoSuchMember:
      tell_error(member, "no such user: " + shown(parts.word));
      return;
    case InviteOutcome::AlreadyThere:
      tell_error(member, shown(parts.word) + " is in " + member.room()->name() + " already");
      return;
  }
}

void ChatHub::topic_command(Participant& member, std::string_view argument) {
  if (!argument.empty()) {
    set_topic(member, *member.room(), argument == "-" ? std::string_view() : argument);
    return;
  }
  const Room::Topic& topic = member.room()->topic();
  if (topic.text.empty()) {
    tell_notice(member, "no topic in " + member.room()->name() + " (\\topic TEXT sets one, \\topic - clears it)");
    return;
  }
  tell_notice(member, "topic of " + member.room()->name() + ": " + topic.text + " (set by " + topic.set_by + ")");
}

void ChatHub::set_topic(Participant& member, Room& room, std::string_view text) {
  std::string clean;
  append_sanitized(clean, text);
  if (classify_line(clean) == LineKind::Blank) clean.clear();
  clean.resize(utf8_prefix_length(clean, kMaxTopicBytes));
  // In milliseconds, as the bus carries it, so that a later topic from another node in the
  // same millisecond is not taken for an earlier one.
  const WallTime now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  room.set_topic(Room::Topic{clean, std::string(member.display_name()), now});
  const ChatEvent event = ChatEvent::topic_set(room.name(), member.display_name(), clean);
  Broadcast broadcast(event, scratch_);
  room.broadcast(broadcast);
  if (peers_ != nullptr) peers_->topic_set(room);
}

void ChatHub::away_changed(Participant& member) {
  if (member.rooms().empty()) return;
  tell_away(member);
  if (peers_ != nullptr) peers_->away_changed(member);
}

void ChatHub::tell_away(const Participant& member) {
  tell_away_once(member.rooms(), member.display_name(), member.away_message(), &member);
}

void ChatHub::tell_away_once(std::span<Room* const> rooms, std::string_view name, std::string_view away,
                             const Participant* except) {
  const std::uint64_t round = ++announce_round_;
  for (const Room* room : rooms) {
    const ChatEvent event = ChatEvent::away_changed(room->name(), name, away);
    for (Participant* other : room->members()) {
      if (other != except && other->hears_away_changes() && other->first_to_hear(round)) other->tell(event, scratch_);
    }
  }
}

void ChatHub::away_changed_elsewhere(std::span<const std::string> room_names, std::string_view name,
                                     std::string_view away) {
  // Another node's words, sanitised as this node's are (anyone who can reach the bus can write).
  tell_away_once(open_rooms_named(room_names), name, sanitized_within(away, kMaxTopicBytes), nullptr);
}

void ChatHub::topic_set_elsewhere(std::string_view room_name, const Room::Topic& topic) {
  Room* room = rooms_.find(room_name);
  if (room == nullptr || topic.set_at < room->topic().set_at) return;
  // Another node's words, sanitised as this node's are (anyone who can reach the bus can write).
  Room::Topic clean{{}, topic.set_by, topic.set_at};
  append_sanitized(clean.text, topic.text);
  if (clean.text == room->topic().text && clean.set_by == room->topic().set_by) return;  // known already
  room->set_topic(clean);
  const ChatEvent event = ChatEvent::topic_set(room->name(), clean.set_by, clean.text);
  Broadcast broadcast(event, scratch_);
  room->broadcast(broadcast);
}

void ChatHub::act(Participant& member, std::string_view action) {
  if (action.empty()) {
    tell_error(member, "usage: \\me ACTION");
    return;
  }
  say(member, *member.room(), ChatKind::Action, action);
}

void ChatHub::broadcast_from_server(std::string_view text) {
  broadcast_from_server_here(text);
  if (peers_ != nullptr) peers_->server_said(text);
}

void ChatHub::broadcast_from_server_here(std::string_view text) {
  if (!keep_clean_text(text)) return;
  const WallTime now = std::chrono::system_clock::now();
  rooms_.for_each([&](Room& room) {
    broadcast_to_room(room, ChatEvent::said(ChatKind::Server, room.name(), kServerSenderName, clean_text_, now), nullptr);
  });
}

void ChatHub::deliver_said_elsewhere(std::string_view room_name, const SaidLine& line) {
  Room* room = rooms_.find(room_name);
  if (room == nullptr || !keep_clean_text(line.text)) return;
  broadcast_to_room(*room, ChatEvent::said(line.kind, room->name(), line.sender, clean_text_, line.sent_at), nullptr);
}

void ChatHub::announce_elsewhere(const ChatEvent& event) {
  Room* room = rooms_.find(event.target);
  if (room == nullptr || room_size(*room) > settings_.announce_max_members) return;
  Broadcast broadcast(event, scratch_);
  room->broadcast(broadcast);
}

void ChatHub::joined_elsewhere(std::string_view room, std::string_view name, std::string_view away) {
  announce_elsewhere(ChatEvent::joined(room, name));
  // After its JOIN, as for a member of this node.
  Room* const joined[] = {rooms_.find(room)};
  if (!away.empty() && joined[0] != nullptr && room_size(*joined[0]) <= settings_.announce_max_members) {
    tell_away_once(joined, name, sanitized_within(away, kMaxTopicBytes), nullptr);
  }
}

void ChatHub::left_elsewhere(std::string_view room, std::string_view name, std::string_view why) {
  announce_elsewhere(ChatEvent::left(room, name, why));
}

void ChatHub::quit_elsewhere(std::span<const std::string> rooms, std::string_view name, std::string_view why) {
  announce_once(open_rooms_named(rooms), nullptr,
                [&](const Room& room) { return ChatEvent::quit(room.name(), name, why); });
}

void ChatHub::renamed_elsewhere(std::span<const std::string> rooms, std::string_view old_name,
                                std::string_view new_name) {
  announce_once(open_rooms_named(rooms), nullptr,
                [&](const Room& room) { return ChatEvent::renamed(room.name(), old_name, new_name); });
}

bool ChatHub::deliver_private_from_elsewhere(std::string_view nickname, std::string_view sender,
                                             std::string_view text) {
  Participant* recipient = find(nickname);
  if (recipient == nullptr) return false;
  if (!keep_clean_text(text)) return true;
  ++stats_.deliveries;
  recipient->tell(ChatEvent::private_line(recipient->display_name(), sender, clean_text_), scratch_);
  return true;
}

void ChatHub::revoke_nickname(std::string_view nickname, std::string_view why) {
  Participant* holder = nicknames_.owner_of(nickname);
  if (holder == nullptr) return;
  nicknames_.release(nickname);
  const std::string old_name = holder->nickname();
  holder->set_nickname({});
  holder->on_renamed(old_name);
  tell_error(*holder, why);
  if (holder->rooms().empty() || holder->gone()) return;
  announce_once(holder->rooms(), holder,
                [&](const Room& room) { return ChatEvent::renamed(room.name(), old_name, holder->address()); });
  if (peers_ != nullptr) peers_->renamed(*holder, old_name);
}

std::vector<RoomCount> ChatHub::room_counts() const {
  std::vector<RoomCount> rooms;
  for (const RoomRegistry::Summary& room : rooms_.list()) rooms.push_back({room.name, room.members});
  if (peers_ != nullptr) {
    peers_->count_rooms_elsewhere(rooms);
    std::sort(rooms.begin(), rooms.end(),
              [](const RoomCount& a, const RoomCount& b) { return fold_name(a.name) < fold_name(b.name); });
  }
  return rooms;
}

void ChatHub::member_names(const Room& room, std::size_t limit, std::vector<MemberName>& names) const {
  for (const Participant* other : room.members()) {
    if (names.size() >= limit) return;
    names.push_back(
        MemberName{std::string(other->display_name()), room.is_operator(*other), !other->away_message().empty(), other});
  }
  if (peers_ == nullptr || names.size() >= limit) return;
  std::vector<MemberElsewhere> elsewhere;
  peers_->list_members_elsewhere(room.name(), limit - names.size(), elsewhere);
  for (MemberElsewhere& other : elsewhere) {
    const bool is_operator = !other.seats.empty() && other.seats.front().room_operator;
    names.push_back(MemberName{std::move(other.name), is_operator, !other.away.empty(), nullptr});
  }
}

ChatHub::KickOutcome ChatHub::put_out(Participant& by, Room& room, std::string_view nickname, std::string_view why) {
  if (!room.is_operator(by)) return KickOutcome::NotOperator;
  if (fold_name(room.name()) == fold_name(kLobby)) return KickOutcome::InLobby;
  Participant* target = find(nickname);
  if (target == nullptr) {
    const bool elsewhere = peers_ != nullptr && peers_->act_as_operator(by, room, nickname, OperatorAction::Kick, why);
    return elsewhere ? KickOutcome::Done : KickOutcome::NotInRoom;
  }
  if (!target->is_in(room)) return KickOutcome::NotInRoom;
  put_out_here(room, by.display_name(), *target, why);
  return KickOutcome::Done;
}

void ChatHub::put_out_here(Room& room, std::string_view by, Participant& target, std::string_view why) {
  const std::string reason = sanitized_within(why, kMaxTopicBytes);
  const std::string room_name = room.name();
  const std::string by_name(by);
  const ChatEvent event = ChatEvent::kicked(room_name, by_name, target.display_name(), reason);
  Broadcast broadcast(event, scratch_);
  room.broadcast(broadcast);
  leave_room(target, room, reason, Participant::Leaving::Kicked, by_name);
  if (!target.rooms().empty()) return;
  enter_room(target, kLobby);
  const Room& lobby = *target.room();
  tell(target, ChatEvent::Kind::Confirmation,
       "you are in " + lobby.name() + " (" + std::to_string(room_size(lobby)) + " here)");
}

ChatHub::OperatorOutcome ChatHub::change_operator(Participant& by, Room& room, std::string_view nickname, bool give) {
  if (!room.is_operator(by)) return OperatorOutcome::NotOperator;
  Participant* target = find(nickname);
  if (target == nullptr) {
    const OperatorAction action = give ? OperatorAction::Give : OperatorAction::Take;
    const bool elsewhere = peers_ != nullptr && peers_->act_as_operator(by, room, nickname, action, {});
    return elsewhere ? OperatorOutcome::Done : OperatorOutcome::NotInRoom;
  }
  if (!target->is_in(room)) return OperatorOutcome::NotInRoom;
  if (room.is_operator(*target) == give) return OperatorOutcome::Unchanged;
  change_operator_here(room, by.display_name(), *target, give);
  return OperatorOutcome::Done;
}

void ChatHub::change_operator_here(Room& room, std::string_view by, Participant& target, bool give) {
  if (give) {
    room.make_operator(target);
  } else {
    room.unmake_operator(target);
  }
  const ChatEvent event = ChatEvent::operator_changed(room.name(), by, target.display_name(), give);
  Broadcast broadcast(event, scratch_);
  room.broadcast(broadcast);
  if (peers_ != nullptr) peers_->operator_changed(by, target, room);
}

void ChatHub::act_for_operator_elsewhere(std::string_view room_name, std::string_view by, std::string_view name,
                                         OperatorAction action, std::string_view why) {
  Participant* target = find(name);
  Room* room = rooms_.find(room_name);
  if (target == nullptr || room == nullptr || !target->is_in(*room)) return;  // gone meanwhile
  if (action == OperatorAction::Kick) {
    if (fold_name(room->name()) != fold_name(kLobby)) put_out_here(*room, by, *target, why);
    return;
  }
  const bool give = action == OperatorAction::Give;
  if (room->is_operator(*target) != give) change_operator_here(*room, by, *target, give);
}

void ChatHub::kicked_elsewhere(std::string_view room_name, std::string_view by, std::string_view name,
                               std::string_view why) {
  Room* room = rooms_.find(room_name);
  if (room == nullptr) return;
  // Another node's words, sanitised as this node's are.
  const std::string reason = sanitized_within(why, kMaxTopicBytes);
  const ChatEvent event = ChatEvent::kicked(room->name(), by, name, reason);
  Broadcast broadcast(event, scratch_);
  room->broadcast(broadcast);
}

void ChatHub::operator_changed_elsewhere(std::string_view room_name, std::string_view by, std::string_view name,
                                         bool given) {
  Room* room = rooms_.find(room_name);
  if (room == nullptr) return;
  const ChatEvent event = ChatEvent::operator_changed(room->name(), by, name, given);
  Broadcast broadcast(event, scratch_);
  room->broadcast(broadcast);
}

std::string ChatHub::rooms_summary() const {
  const std::vector<RoomCount> rooms = room_counts();
  std::string text;
  for (const RoomCount& room : rooms) {
    if (!text.empty()) text += ", ";
    text += room.name + " (" + std::to_string(room.members) + ")";
  }
  return text.empty() ? "none" : text;
}

}  // namespace chatroom
