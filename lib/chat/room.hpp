// The chat room: who is in it, and broadcasting one shared message to all of them but the
// sender. Knows nothing of sockets. Does not own its participants.
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "buffer/shared_bytes.hpp"
#include "chat/participant.hpp"

namespace chatroom {

class Room {
 public:
  void join(Participant& participant);
  void leave(Participant& participant);
  [[nodiscard]] bool contains(const Participant& participant) const;
  [[nodiscard]] std::size_t size() const { return members_.size(); }

  // Delivers `message` to every member except `sender` (nullptr: to everyone) and returns how
  // many deliveries were made.
  std::size_t broadcast(const SharedBytes& message, const Participant* sender = nullptr);

 private:
  // A dense array keeps the fan-out loop a linear walk; the index makes leaving O(1).
  std::vector<Participant*> members_;
  std::unordered_map<const Participant*, std::size_t> position_;
};

}  // namespace chatroom
