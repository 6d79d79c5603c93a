// The chat itself: rooms, nicknames, history and every command a member can send, on top of
// participants that only know how to take a line. Knows nothing of sockets, so all of it is
// tested with fakes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "chat/nickname_registry.hpp"
#include "chat/room_registry.hpp"

namespace chatroom {

inline constexpr std::string_view kLobby = "lobby";

struct HubSettings {
  // Messages a room replays to whoever joins it; 0 turns history off.
  std::size_t history_lines = 20;
  // Join, leave and nick notices go to rooms of at most this many members: in a room of
  // thousands they would be most of the traffic (every connect storm is N^2 deliveries).
  std::size_t announce_max_members = 200;
};

struct HubStats {
  std::uint64_t messages = 0;    // chat, action, private and console lines accepted
  std::uint64_t deliveries = 0;  // copies of them queued for recipients
};

class ChatHub {
 public:
  enum class Outcome {
    Stay,
    Leave,  // the member sent "\close"
  };

  explicit ChatHub(HubSettings settings) : settings_(settings), rooms_(settings.history_lines) {}

  // A new member enters the lobby: it is sent the lobby's history, the lobby is told.
  void connect(Participant& member);
  // The member leaves its room (the room is told, with `why` when not empty) and gives up its
  // nickname. Not during a broadcast: call it after the loop turn that ended the member.
  void disconnect(Participant& member, std::string_view why);
  // A line from `member` that is not blank: chat for its room, or a command.
  Outcome on_line(Participant& member, std::string_view line);
  // "<server>:\tTEXT" to every member of every room.
  void broadcast_from_server(std::string_view text);

  // The member holding `nickname`, if it is still connected.
  [[nodiscard]] Participant* find(std::string_view nickname) const;
  [[nodiscard]] const RoomRegistry& rooms() const { return rooms_; }
  [[nodiscard]] const HubStats& stats() const { return stats_; }
  // "lobby (3), dev (1)"
  [[nodiscard]] std::string rooms_summary() const;

 private:
  void enter_room(Participant& member, std::string_view name);
  void leave_room(Participant& member, std::string_view why);
  // Tells `room`, but not `subject` (the member it is about), if the room is small enough
  // for notices.
  void announce(Room& room, std::string_view text, const Participant* subject);
  void broadcast_to_room(Room& room, const SharedBytes& message, const Participant* sender);

  void take_nickname(Participant& member, std::string_view name);
  void join(Participant& member, std::string_view name);
  void list_members(Participant& member);
  void send_private(Participant& member, std::string_view argument);
  void act(Participant& member, std::string_view action);

  HubSettings settings_;
  RoomRegistry rooms_;
  NicknameRegistry nicknames_;
  HubStats stats_;
  std::string scratch_;
};

}  // namespace chatroom
