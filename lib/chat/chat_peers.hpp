// The same chat on other nodes, as one node's ChatHub sees it: what the hub tells them, and
// what it asks about them. A hub without peers is a whole chat on its own; cluster/ implements
// this over a bus. Every call is made on the loop's thread and must not block.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chat/participant.hpp"
#include "chat/room.hpp"
#include "chat/said_line.hpp"

namespace chatroom {

// What an operator of a room may do to one of its members.
enum class OperatorAction { Kick, Give, Take };

// A room a member is in, and whether it is one of its operators.
struct Seat {
  std::string room;
  bool room_operator = false;
};

// A member of another node, as this node knows it.
struct MemberElsewhere {
  std::string name;  // its nickname, as it spells it
  std::string away;  // why it is away; empty: it is here
  std::vector<Seat> seats;  // the rooms it is in (as listed for one room: that room alone)
};

// A room as \rooms lists it: members here and elsewhere together.
struct RoomCount {
  std::string name;
  std::size_t members = 0;
};

class ChatPeers {
 public:
  // What happened here. One call per line, whatever the size of the room elsewhere.
  virtual void said(const Room& room, const Participant& sender, ChatKind kind, std::string_view text,
                    WallTime sent_at) = 0;
  virtual void entered(const Participant& member, const Room& room) = 0;
  // It left `room` and stays in the chat: moved on (`why` empty) or parted (`why`: its reason).
  virtual void left(const Participant& member, const Room& room, std::string_view why) = 0;
  // It left the chat, and so `rooms` (still open, perhaps empty now), for `why`.
  virtual void quit(const Participant& member, std::span<Room* const> rooms, std::string_view why) = 0;
  // The member was put out of `room` by its operator `by`, for `why`.
  virtual void kicked(const Participant& member, const Room& room, std::string_view by, std::string_view why) = 0;
  virtual void renamed(const Participant& member, std::string_view old_name) = 0;
  // The member went away or came back (its away_message()).
  virtual void away_changed(const Participant& member) = 0;
  // `by`, an operator of `room`, made the member an operator of it or no operator.
  virtual void operator_changed(std::string_view by, const Participant& member, const Room& room) = 0;
  // `by`, an operator of `room`, does `action` to the member called `nickname` in that room on
  // another node (`why`: a kick's reason); false if no other node has such a member there.
  virtual bool act_as_operator(const Participant& by, const Room& room, std::string_view nickname,
                               OperatorAction action, std::string_view why) = 0;
  virtual void server_said(std::string_view text) = 0;
  // The room's topic was set here (room.topic()).
  virtual void topic_set(const Room& room) = 0;

  // Nicknames are unique across nodes. `decided` is called later, on the loop, with whether
  // the name is now this node's; a name granted to a member who has left meanwhile must be
  // given back with release_nickname.
  virtual void claim_nickname(std::string_view name, std::function<void(bool granted)> decided) = 0;
  virtual void release_nickname(std::string_view name) = 0;
  // Sends a private line to the member called `nickname` on another node; false if no other
  // node has one.
  virtual bool send_private(const Participant& sender, std::string_view nickname, std::string_view text) = 0;

  // The member of another node who holds `nickname`; nullopt if no other node has one.
  [[nodiscard]] virtual std::optional<MemberElsewhere> member_elsewhere(std::string_view nickname) const = 0;
  // Members of `room` on other nodes.
  [[nodiscard]] virtual std::size_t members_elsewhere(std::string_view room) const = 0;
  // Members of other nodes, each once however many rooms it is in.
  [[nodiscard]] virtual std::size_t member_count_elsewhere() const = 0;
  // Appends up to `limit` of them.
  virtual void list_members_elsewhere(std::string_view room, std::size_t limit,
                                      std::vector<MemberElsewhere>& members) const = 0;
  // Adds the rooms of other nodes to `rooms` (merging those of the same name).
  virtual void count_rooms_elsewhere(std::vector<RoomCount>& rooms) const = 0;

  // The last `lines` lines of a room this node has just opened: nothing of it was kept here.
  virtual void fetch_history(std::string_view room, std::size_t lines,
                             std::function<void(std::vector<SaidLine>)> done) = 0;
  // The topic of a room this node has just opened, as last set on any node (empty text: none).
  virtual void fetch_topic(std::string_view room, std::function<void(Room::Topic)> done) = 0;

 protected:
  ~ChatPeers() = default;
};

}  // namespace chatroom
