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
  operators_.erase(&participant);
  Participant* last = members_.back();
  members_.pop_back();
  if (index < members_.size()) {
    members_[index] = last;
    position_[last] = index;
  }
}

bool Room::contains(const Participant& participant) const { return position_.contains(&participant); }

std::size_t Room::broadcast(Broadcast& broadcast, const Participant* sender) {
  std::size_t deliveries = 0;
  // Members of one dialect tend to follow each other (a room of one protocol is all one run):
  // the spelling is looked up again only when the dialect changes.
  const Dialect* dialect = nullptr;
  const SharedBytes* spelled = nullptr;
  bool silent = false;
  for (Participant* member : members_) {
    if (member == sender) continue;
    if (&member->dialect() != dialect) {
      dialect = &member->dialect();
      spelled = &broadcast.spelled_in(*dialect);
      silent = spelled->empty();
    }
    if (silent) continue;
    member->deliver(*spelled);
    ++deliveries;
  }
  return deliveries;
}

}  // namespace chatroom
