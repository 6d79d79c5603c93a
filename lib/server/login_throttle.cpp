// Per-address counting of wrong passwords.
#include "server/login_throttle.hpp"

namespace chatroom {

bool LoginThrottle::locked_out(const std::string& address, TimePoint now) const {
  const auto found = failures_.find(address);
  return found != failures_.end() && now < found->second.locked_until;
}

void LoginThrottle::record_failure(const std::string& address, TimePoint now) {
  if (failures_.size() >= kMaxTrackedAddresses && failures_.find(address) == failures_.end()) make_room(now);
  Failures& entry = failures_[address];
  if (entry.count == 0 || now - entry.first_at > limits_.window) {
    entry.count = 0;
    entry.first_at = now;
  }
  ++entry.count;
  if (entry.count >= limits_.max_failures) {
    entry.locked_until = now + limits_.lockout;
    entry.count = 0;  // a new window starts when the lockout ends
  }
}

void LoginThrottle::make_room(TimePoint now) {
  // One sweep frees a tenth of the table, so a guesser spread over many addresses costs one
  // sweep per thousands of failures, not one per failure.
  std::erase_if(failures_, [&](const auto& item) {
    const Failures& entry = item.second;
    return now >= entry.locked_until && now - entry.first_at > limits_.window;
  });
  // Still full of live entries: forget arbitrary ones rather than grow.
  while (failures_.size() > kMaxTrackedAddresses - kMaxTrackedAddresses / 10) failures_.erase(failures_.begin());
}

}  // namespace chatroom
