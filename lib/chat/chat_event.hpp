// What happens in the chat, before any protocol puts it into words: the hub says what, each
// member's dialect says how (the line protocol's "<alice>:\thi", IRC's
// ":alice!alice@host PRIVMSG #den :hi"). The views belong to the caller and live as long
// as the event.
#pragma once

#include <cstdint>
#include <string_view>

#include "chat/said_line.hpp"

namespace chatroom {

struct ChatEvent {
  enum class Kind : std::uint8_t {
    Said,         // `sender` said `text` in room `target`
    Acted,        // `sender` did `text` in room `target`
    ServerSaid,   // the console said `text` (to every room; `target` is the room)
    Joined,       // `sender` came into room `target`
    Left,         // `sender` left room `target` for another; `text` is why, or empty
    Quit,         // `sender` left the chat, and so room `target`; `text` is why, or empty
    Renamed,      // `sender` is now called `text`; `target` is their room
    TopicSet,     // `sender` set room `target`'s topic to `text` (empty: cleared)
    Kicked,       // `sender`, an operator of room `target`, put `subject` out of it; `text`: why
    OperatorGiven,  // `sender`, an operator of room `target`, made `subject` one too
    OperatorTaken,  // `sender`, an operator of room `target`, made `subject` no operator
    AwayChanged,  // `sender`, in room `target`, is away because of `text`, or back (empty)
    Private,      // `sender` said `text` to the recipient, `target`
    Invited,      // `sender` invites the recipient, `target`, into room `subject`
    PrivateEcho,  // the sender's own copy of a private `text` to `target`
    // The chat's answers to one member, `target`, about what it asked for:
    Notice,        // news or a reply (`text`)
    Error,         // what it asked for failed (`text`)
    Confirmation,  // a change it asked for is done (`text`); protocols that show the change
                   // itself (IRC's NICK and JOIN) say nothing more
  };

  Kind kind = Kind::Said;
  std::string_view target;
  std::string_view sender;
  std::string_view text;
  WallTime sent_at;
  // A history replay: said at `sent_at`, before the recipient came in.
  bool replayed = false;
  // Whom it is done to, when that is not the sender: the member kicked, made an operator or no
  // operator; or the room an invitation is for.
  std::string_view subject;

  // Something said: `text` as said, or already sanitised where the caller says so.
  [[nodiscard]] static ChatEvent said(ChatKind kind, std::string_view room, std::string_view sender,
                                      std::string_view text, WallTime sent_at, bool replayed = false) {
    const Kind event_kind = kind == ChatKind::Action   ? Kind::Acted
                            : kind == ChatKind::Server ? Kind::ServerSaid
                                                       : Kind::Said;
    return ChatEvent{event_kind, room, sender, text, sent_at, replayed, {}};
  }
  // A line kept in a room's history, replayed.
  [[nodiscard]] static ChatEvent replay(std::string_view room, const SaidLine& line) {
    return said(line.kind, room, line.sender, line.text, line.sent_at, /*replayed=*/true);
  }
  // Membership and names, as they happen.
  [[nodiscard]] static ChatEvent joined(std::string_view room, std::string_view name) {
    return ChatEvent{Kind::Joined, room, name, {}, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent left(std::string_view room, std::string_view name, std::string_view why) {
    return ChatEvent{Kind::Left, room, name, why, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent quit(std::string_view room, std::string_view name, std::string_view why) {
    return ChatEvent{Kind::Quit, room, name, why, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent renamed(std::string_view room, std::string_view old_name, std::string_view new_name) {
    return ChatEvent{Kind::Renamed, room, old_name, new_name, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent topic_set(std::string_view room, std::string_view by, std::string_view text) {
    return ChatEvent{Kind::TopicSet, room, by, text, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent away_changed(std::string_view room, std::string_view name, std::string_view why) {
    return ChatEvent{Kind::AwayChanged, room, name, why, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent kicked(std::string_view room, std::string_view by, std::string_view who,
                                        std::string_view why) {
    return ChatEvent{Kind::Kicked, room, by, why, now(), false, who};
  }
  [[nodiscard]] static ChatEvent operator_changed(std::string_view room, std::string_view by, std::string_view who,
                                                  bool given) {
    return ChatEvent{given ? Kind::OperatorGiven : Kind::OperatorTaken, room, by, {}, now(), false, who};
  }
  // A private line to `recipient`, and its sender's copy.
  [[nodiscard]] static ChatEvent private_line(std::string_view recipient, std::string_view sender,
                                              std::string_view text) {
    return ChatEvent{Kind::Private, recipient, sender, text, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent private_echo(std::string_view recipient, std::string_view sender,
                                              std::string_view text) {
    return ChatEvent{Kind::PrivateEcho, recipient, sender, text, now(), false, {}};
  }
  [[nodiscard]] static ChatEvent invited(std::string_view recipient, std::string_view sender, std::string_view room) {
    return ChatEvent{Kind::Invited, recipient, sender, {}, now(), false, room};
  }
  // An answer to the member called `recipient`.
  [[nodiscard]] static ChatEvent answer(Kind kind, std::string_view recipient, std::string_view text) {
    return ChatEvent{kind, recipient, {}, text, now(), false, {}};
  }

 private:
  static WallTime now() { return std::chrono::system_clock::now(); }
};

}  // namespace chatroom
