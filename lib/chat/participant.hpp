// A member of the chat: where its lines go (deliver), what it is called, and which room it is
// in. A client connection is one; tests use fakes. The identity lives here, in the object the
// room already points at, so naming costs the fan-out nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "buffer/shared_bytes.hpp"

namespace chatroom {

class Room;

class Participant {
 public:
  // Queues `message` for this participant. Must not join or leave any room: membership
  // changes are deferred until the broadcast that called deliver() has finished.
  virtual void deliver(const SharedBytes& message) = 0;

  // "ip:port" as the server sees it: the name until a nickname is taken, and in the logs.
  [[nodiscard]] const std::string& address() const { return address_; }
  [[nodiscard]] const std::string& nickname() const { return nickname_; }
  [[nodiscard]] std::string_view display_name() const { return nickname_.empty() ? address_ : nickname_; }
  void set_nickname(std::string nickname) { nickname_ = std::move(nickname); }

  // Unique among the members of one hub, for ever: set when the member connects. Other nodes
  // and late replies name a member by it, as pointers may be reused.
  [[nodiscard]] std::uint64_t member_id() const { return member_id_; }
  void set_member_id(std::uint64_t id) { member_id_ = id; }

  [[nodiscard]] Room* room() const { return room_; }
  void set_room(Room* room) { room_ = room; }

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
  std::string address_;
  std::string nickname_;
  Room* room_ = nullptr;
  std::uint64_t member_id_ = 0;
  bool gone_ = false;
};

}  // namespace chatroom
