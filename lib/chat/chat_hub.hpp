// The chat itself: rooms, nicknames, history and every command a member can send, on top of
// participants that only know how to take a line. Knows nothing of sockets, so all of it is
// tested with fakes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <deque>
#include <unordered_map>
#include <vector>

#include "chat/broadcast.hpp"
#include "chat/chat_event.hpp"
#include "chat/chat_peers.hpp"
#include "chat/line_run.hpp"
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
  // Rooms one member may be in at once (IRC's CHANLIMIT; the line protocol is in one).
  std::size_t max_rooms_per_member = 20;
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

  // Makes this hub one node of a chat that spans several: rooms, names, \who, \rooms and
  // \msg then include `peers`. Before any member connects; `peers` must outlive the hub's use.
  void set_peers(ChatPeers& peers) { peers_ = &peers; }
  [[nodiscard]] bool has_peers() const { return peers_ != nullptr; }
  // From now on a chat of its own again (its peers are going away).
  void detach_peers() { peers_ = nullptr; }

  // A new member enters the lobby: it is sent the lobby's history, the lobby is told.
  void connect(Participant& member);
  // The same in two steps, for protocols whose clients take a name before they come in (IRC):
  // a member of the chat, in no room yet; then into the lobby.
  void admit(Participant& member);
  void enter_lobby(Participant& member);
  // The member leaves its rooms (each member of them is told once, with `why` when not empty)
  // and gives up its nickname. Not during a broadcast: call it after the loop turn that ended the member.
  void disconnect(Participant& member, std::string_view why);
  // A line from `member` that is not blank: chat for its room, or a command. While the other
  // nodes are asked for a nickname the member wants, its later lines wait for the answer, so
  // they go out in order and under the name it asked for.
  Outcome on_line(Participant& member, std::string_view line);
  // Whether on_line would take `line` as chat for the member's room and do nothing else: no
  // command, and no nickname claim its lines wait for. Such lines, sent one after another, may
  // be held and said together instead.
  [[nodiscard]] bool is_plain_chat(const Participant& member, std::string_view line) const;
  // Holds `line`, plain chat from `member`, sanitised (nothing if that leaves it blank), to be
  // said with the plain chat it sends next (lines held for another member are said first). A
  // session holds the chat lines of one read.
  void hold_chat(Participant& member, std::string_view line);
  // Says what is held, if anything, as on_line would have said it line by line (sanitised,
  // counted, kept in the history and passed to the other nodes one by one), but fanned out
  // once: each member of the room gets the lines as one chunk of output. A session calls it
  // before anything else its member does, and once a read's lines are all handed over.
  void say_held_chat();
  // What a protocol with commands of its own (IRC) asks for directly. A nickname is taken at
  // once, or, with peers, once they agree (Pending: on_renamed or on_nickname_refused follows).
  enum class NicknameClaim { Renamed, Pending, Unchanged, Invalid, Reserved, Taken };
  NicknameClaim claim_nickname(Participant& member, std::string_view name);
  // Moves the member to another room, out of all the others (the line protocol's \join; told
  // in its dialect if the name is bad).
  void join(Participant& member, std::string_view name);
  // Into one more room, staying in the others (IRC's JOIN).
  enum class JoinOutcome { Joined, AlreadyThere, Invalid, TooMany };
  JoinOutcome join_also(Participant& member, std::string_view name);
  // Out of the member's room called `name` (IRC's PART; the room is told `why`), into the
  // lobby if that was its last.
  enum class PartOutcome { Parted, NotThere, StaysInLobby };
  PartOutcome part(Participant& member, std::string_view name, std::string_view why);
  // The member's room called `name`; nullptr if it is not in one.
  [[nodiscard]] Room* room_of(const Participant& member, std::string_view name) const;
  // Chat or an action in one of the member's rooms.
  void say(Participant& member, Room& room, ChatKind kind, std::string_view text);
  // The member went away or came back (its away_message()): members of its rooms that hear
  // such changes are told, once each.
  void away_changed(Participant& member);
  // Sets the topic of one of the member's rooms (sanitised, at most kMaxTopicBytes; empty
  // clears it) and tells the room.
  void set_topic(Participant& member, Room& room, std::string_view text);
  // An operator of `room` puts the member called `nickname` out of it (into the lobby if it
  // was its last); the room, the member included, is told (ChatEvent::Kicked).
  enum class KickOutcome { Done, NotOperator, NotInRoom, InLobby };
  KickOutcome put_out(Participant& by, Room& room, std::string_view nickname, std::string_view why);
  // An operator of `room` makes the member called `nickname` an operator of it too (`give`) or
  // no operator (itself included); the room is told (ChatEvent::OperatorGiven, OperatorTaken).
  enum class OperatorOutcome { Done, Unchanged, NotOperator, NotInRoom };
  OperatorOutcome change_operator(Participant& by, Room& room, std::string_view nickname, bool give);
  // A private line to the member called `nickname`, here or on another node.
  void send_private(Participant& member, std::string_view nickname, std::string_view text);
  // A member invites the member called `nickname` into `room`, one of its own: an invitation
  // here (ChatEvent::Invited), a private line saying so on another node. Rooms are open to
  // all, so an invitation only tells.
  enum class InviteOutcome { Done, NoSuchMember, AlreadyThere };
  InviteOutcome invite(Participant& by, const Room& room, std::string_view nickname);

  // "<server>:\tTEXT" to every member of every room (on every node).
  void broadcast_from_server(std::string_view text);

  // What other nodes report, for the members here.
  void deliver_said_elsewhere(std::string_view room, const SaidLine& line);
  // A member elsewhere came into or left `room`, or left the chat or was renamed in `rooms`
  // (to the rooms' members here, once each, where the room is small enough for notices; its
  // size counts the subject). `away`: why the member is away, as it arrives; empty if it is not.
  void joined_elsewhere(std::string_view room, std::string_view name, std::string_view away = {});
  void left_elsewhere(std::string_view room, std::string_view name, std::string_view why);
  void quit_elsewhere(std::span<const std::string> rooms, std::string_view name, std::string_view why);
  void renamed_elsewhere(std::span<const std::string> rooms, std::string_view old_name, std::string_view new_name);
  // `by`, an operator of `room` on another node (its roster says so), does `action` to the
  // member of this node called `name` in that room.
  void act_for_operator_elsewhere(std::string_view room, std::string_view by, std::string_view name,
                                  OperatorAction action, std::string_view why);
  // `by`, an operator of `room` on another node, put the member called `name` out of it.
  void kicked_elsewhere(std::string_view room, std::string_view by, std::string_view name, std::string_view why);
  // `by`, an operator of `room` on another node, made the member called `name` an operator of
  // it (`given`) or no operator.
  void operator_changed_elsewhere(std::string_view room, std::string_view by, std::string_view name, bool given);
  // The member called `name`, in `rooms` on another node, went away (`away`) or came back (empty).
  void away_changed_elsewhere(std::span<const std::string> rooms, std::string_view name, std::string_view away);
  // A room's topic, set on another node (or learned from the others when this node opened the
  // room): kept unless a later one was set here, and told to the room.
  void topic_set_elsewhere(std::string_view room, const Room::Topic& topic);
  // False if nobody here holds `nickname`.
  bool deliver_private_from_elsewhere(std::string_view nickname, std::string_view sender, std::string_view text);
  void broadcast_from_server_here(std::string_view text);
  // Another node holds `nickname` now (it was given away while this node was cut off): the
  // member here that holds it is shown by its address again and told `why`.
  void revoke_nickname(std::string_view nickname, std::string_view why);

  // The member holding `nickname`, if it is still connected.
  [[nodiscard]] Participant* find(std::string_view nickname) const;
  // The member who holds `nickname`, here or on another node; nullopt if nobody does.
  struct NicknameHolder {
    std::string name;                   // as it spells it
    std::string away;                   // why it is away; empty: it is here
    std::vector<Seat> seats;            // the rooms it is in
    const Participant* here = nullptr;  // null for a member of another node
  };
  [[nodiscard]] std::optional<NicknameHolder> holder_of(std::string_view nickname) const;
  [[nodiscard]] const RoomRegistry& rooms() const { return rooms_; }
  [[nodiscard]] const HubStats& stats() const { return stats_; }
  [[nodiscard]] std::size_t history_lines() const { return settings_.history_lines; }
  [[nodiscard]] std::size_t max_rooms_per_member() const { return settings_.max_rooms_per_member; }
  // Members connected to this hub; kept only with peers.
  [[nodiscard]] std::size_t members_here() const { return members_by_id_.size(); }
  // Members of the chat, here (admitted, in a room or not yet) and on other nodes, each once
  // however many rooms it is in.
  [[nodiscard]] std::size_t member_count() const {
    return admitted_ + (peers_ != nullptr ? peers_->member_count_elsewhere() : 0);
  }
  template <typename Visit>
  void for_each_member(Visit&& visit) const {
    for (const auto& [id, member] : members_by_id_) visit(*member);
  }
  // Every room with its members here and elsewhere, by name.
  [[nodiscard]] std::vector<RoomCount> room_counts() const;
  // Appends up to `limit` members of `room`, here first (with whether each is an operator),
  // then elsewhere (`member` null: known by name only).
  struct MemberName {
    std::string name;
    bool is_operator = false;
    bool away = false;
    const Participant* member = nullptr;  // null for a member of another node
  };
  void member_names(const Room& room, std::size_t limit, std::vector<MemberName>& names) const;
  // "lobby (3), dev (1)", counting members on other nodes too.
  [[nodiscard]] std::string rooms_summary() const;
  // Members of `room` here and elsewhere.
  [[nodiscard]] std::size_t room_size(const Room& room) const;

 private:
  // Answers `member` in its own dialect.
  void tell(Participant& member, ChatEvent::Kind kind, std::string_view text);
  void tell_notice(Participant& member, std::string_view text) { tell(member, ChatEvent::Kind::Notice, text); }
  void tell_error(Participant& member, std::string_view text) { tell(member, ChatEvent::Kind::Error, text); }
  void enter_room(Participant& member, std::string_view name);
  void put_out_here(Room& room, std::string_view by, Participant& target, std::string_view why);
  void change_operator_here(Room& room, std::string_view by, Participant& target, bool give);
  // Out of one room, which is told (`why`: a part's reason, or a kick's with `kicked_by`, the
  // operator; not Leaving::Quit, which is leave_all_rooms). The member may be in no room after
  // it: the caller says where it goes.
  void leave_room(Participant& member, Room& room, std::string_view why, Participant::Leaving how,
                  std::string_view kicked_by = {});
  // Out of every room, told to each member of them once; `why` as for the quit.
  void leave_all_rooms(Participant& member, std::string_view why);
  // Tells `room`, but not `subject` (the member it is about), if the room is small enough
  // for notices.
  void announce(Room& room, const ChatEvent& event, const Participant* subject);
  // Tells the members of `rooms` but `subject` once each, as `event_in` spells it for the first
  // room they are met in (ChatEvent::Quit and Renamed name no room on IRC), where the room is
  // small enough for notices.
  template <typename EventIn>
  void announce_once(std::span<Room* const> rooms, const Participant* subject, EventIn event_in);
  // Tells the members of `rooms` but `except` that hear away changes, once each, that the
  // member called `name` is away (`away`, clean already) or back.
  void tell_away_once(std::span<Room* const> rooms, std::string_view name, std::string_view away,
                      const Participant* except);
  // The rooms of these names that are open here.
  [[nodiscard]] std::vector<Room*> open_rooms_named(std::span<const std::string> names);
  // Tells the members of the member's rooms that hear away changes whether it is away.
  void tell_away(const Participant& member);
  void announce_elsewhere(const ChatEvent& event);
  // Said, acted or server-said: to the room, counted, kept in its history.
  void broadcast_to_room(Room& room, const ChatEvent& event, const Participant* sender);
  void broadcast_to_room(Room& room, std::span<const ChatEvent> events, const Participant* sender);
  // Chat texts, sanitised and not blank, to the member's room as one broadcast.
  void say_together(Participant& member, const LineRun& texts);
  // Sanitises `text` into clean_text_; false if nothing is left to say.
  [[nodiscard]] bool keep_clean_text(std::string_view text);
  [[nodiscard]] Participant* member_by_id(std::uint64_t id) const;
  void replay_history_from_elsewhere(std::uint64_t member_id, const std::string& room_name,
                                     const std::vector<SaidLine>& lines);

  Outcome handle_line(Participant& member, std::string_view line);
  struct PendingClaim;
  Outcome hold_line(Participant& member, PendingClaim& claim, std::string_view line);
  void take_nickname(Participant& member, std::string_view name);
  void finish_nickname_claim(std::uint64_t member_id, const std::string& name, bool granted);
  void replay_held_lines(Participant& member, std::deque<std::string> held);
  void rename(Participant& member, std::string_view name);
  void list_members(Participant& member);
  void send_private(Participant& member, std::string_view argument);
  void act(Participant& member, std::string_view action);
  void invite_command(Participant& member, std::string_view argument);
  void topic_command(Participant& member, std::string_view argument);

  HubSettings settings_;
  RoomRegistry rooms_;
  NicknameRegistry nicknames_;
  HubStats stats_;
  std::string scratch_;     // dialects spell into it
  std::string clean_text_;  // what a member said, sanitised once for every dialect
  // hold_chat's lines, sanitised as they come, and whose: one run for the whole chat, since a
  // run lasts no longer than one read and reads do not overlap, so no member keeps a buffer
  // for it.
  LineRun held_chat_;
  Participant* held_for_ = nullptr;
  std::vector<ChatEvent> run_events_;  // say_together's, viewing held_chat_
  std::uint64_t next_member_id_ = 1;
  std::uint64_t announce_round_ = 0;  // for Participant::first_to_hear
  std::size_t admitted_ = 0;

  // Only with peers: members by id, for replies that arrive after a turn; and the nickname
  // each member is waiting to be granted by the other nodes, with the lines it sent since.
  ChatPeers* peers_ = nullptr;
  std::unordered_map<std::uint64_t, Participant*> members_by_id_;
  struct PendingClaim {
    std::string name;
    std::deque<std::string> held_lines;
    std::size_t held_bytes = 0;
  };
  std::unordered_map<std::uint64_t, PendingClaim> pending_claims_;
};

}  // namespace chatroom
