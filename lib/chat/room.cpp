// Membership and fan-out.
#include "chat/room.hpp"

namespace chatroom {

void Room::join(Participant& participant) {
  if (position_.contains(&participant)) return;
  position_.emplace(&participant, members_.size());
  members_.push_back(&participant);
}

void Room::leave(Participant& participant) {
  const auto found = position_.find(&participant);
  if (found == position_.end()) return;
  const std::size_t index = found->second;
  position_.erase(found);
  Participant* last = members_.back();
  members_.pop_back();
  if (index < members_.size()) {
    members_[index] = last;
    position_[last] = index;
  }
}

bool Room::contains(const Participant& participant) const { return position_.contains(&participant); }

std::size_t Room::broadcast(const SharedBytes& message, const Participant* sender) {
  std::size_t deliveries = 0;
  for (Participant* member : members_) {
    if (member == sender) continue;
    member->deliver(message);
    ++deliveries;
  }
  return deliveries;
}

}  // namespace chatroom
