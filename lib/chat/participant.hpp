// A member of the chat: where its lines go (deliver), in which dialect (its protocol's words
// for what happens), what it is called, and which rooms it is in. A client connection is one;
// tests use fakes. The identity lives here, in the object the room already points at, so
// naming costs the fan-out nothing.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "buffer/shared_bytes.hpp"
#include "chat/dialect.hpp"
#include "chat/line_dialect.hpp"

namespace chatroom {

class Room;

class Participant {
 public:
  // Queues `message` for this participant. Must not join or leave any room: membership
  // changes are deferred until the broadcast that called deliver() has finished.
  virtual void deliver(const SharedBytes& message) = 0;

  // How this member's protocol spells the chat's events; the line protocol unless set.
  [[nodiscard]] const Dialect& dialect() const { return *dialect_; }
  void set_dialect(const Dialect& dialect) { dialect_ = &dialect; }
  // `event` in this member's words, to this member alone; false if its dialect says nothing.
  bool tell(const ChatEvent& event, std::string& scratch) {
    const SharedBytes spelled = dialect_->spell(event, scratch);
    if (spelled.empty()) return false;
    deliver(spelled);
    return true;
  }

  // The chat moved this member: into `room` (before its history is replayed), out of `room`
  // (how, and why: a part's or a kick's reason, or the quit's), to a new name, or refused a
  // name it waited for. For sessions whose protocol shows these itself (IRC's JOIN, PART, NICK,
  // 433); nothing by default.
  enum class Leaving { MovedOn, Parted, Kicked, Quit };
  virtual void on_entered(const Room& /*room*/) {}
  virtual void on_left(const Room& /*room*/, Leaving /*how*/, std::string_view /*why*/) {}
  virtual void on_renamed(std::string_view /*old_name*/) {}
  virtual void on_nickname_refused(std::string_view /*name*/) {}
  // Why the member is away (IRC's AWAY), or empty when it is not.
  [[nodiscard]] virtual std::string_view away_message() const { return {}; }
  // Whether it is told when others in its room go away or come back (IRCv3's away-notify);
  // asked only then, never on the way of a broadcast.
  [[nodiscard]] virtual bool hears_away_changes() const { return false; }

  // "ip:port" as the server sees it: the name until a nickname is taken, and in the logs.
  [[nodiscard]] const std::string& address() const { return address_; }
  [[nodiscard]] const std::string& nickname() const { return nickname_; }
  [[nodiscard]] std::string_view display_name() const { return nickname_.empty() ? address_ : nickname_; }
  void set_nickname(std::string nickname) { nickname_ = std::move(nickname); }

  // Unique among the members of one hub, for ever: set when the member connects. Other nodes
  // and late replies name a member by it, as pointers may be reused.
  [[nodiscard]] std::uint64_t member_id() const { return member_id_; }
  void set_member_id(std::uint64_t id) { member_id_ = id; }

  // The rooms it is in, in the order it entered them: one for the line protocol, whose plain
  // lines go to it; as many as it joined for IRC, whose lines name their channel. A member the
  // hub has let in is in one at least (the lobby when in no other).
  [[nodiscard]] std::span<Room* const> rooms() const { return rooms_; }
  // The room it entered last: where a plain line goes; nullptr before it enters any.
  [[nodiscard]] Room* room() const { return rooms_.empty() ? nullptr : rooms_.back(); }
  [[nodiscard]] bool is_in(const Room& room) const {
    return std::find(rooms_.begin(), rooms_.end(), &room) != rooms_.end();
  }
  // Kept by the hub as it moves the member (Room keeps the other side).
  void add_room(Room& room) { rooms_.push_back(&room); }
  void remove_room(const Room& room) { std::erase(rooms_, &room); }

  // False if this member has been told already in `round`: an event about a member of several
  // rooms (IRC's QUIT, NICK, AWAY name no room) reaches whoever shares them once.
  bool first_to_hear(std::uint64_t round) { return std::exchange(heard_round_, round) != round; }

  // Gone: its connection has ended, though it is only removed from its room at the end of the
  // loop turn. Nothing should be addressed to it any more.
  [[nodiscard]] bool gone() const { return gone_; }
  void mark_gone() { gone_ = true; }

 protected:
  explicit Participant(std::string address = {}) : address_(std::move(address)) {}
  ~Participant() = default;
  Participant(const Participant&) = default;
  Participant& operator=(const Participant&) = default;

 private:
  const Dialect* dialect_ = &line_dialect();
  std::string address_;
  std::string nickname_;
  std::vector<Room*> rooms_;
  std::uint64_t member_id_ = 0;
  std::uint64_t heard_round_ = 0;
  bool gone_ = false;
};

}  // namespace chatroom
