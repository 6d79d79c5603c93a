// Per-address counting of wrong passwords.
#include "server/login_throttle.hpp"

namespace chatroom {

bool LoginThrottle::locked_out(const std::string& address, TimePoint now) const {
  const auto found = failures_.find(address);
  return found != failures_.end() && now < found->second.locked_until;
}

void LoginThrottle::record_failure(const std::string& address, TimePoint now) {
  if (failures_.size() >= kMaxTrackedAddresses && failures_.find(address) == failures_.end()) {
    forget_expired(now);
    // Still full of live entries: forget an arbitrary one rather than grow.
    if (failures_.size() >= kMaxTrackedAddresses) failures_.erase(failures_.begin());
  }
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

void LoginThrottle::forget_expired(TimePoint now) {
  std::erase_if(failures_, [&](const auto& item) {
    const Failures& entry = item.second;
    return now >= entry.locked_until && now - entry.first_at > limits_.window;
  });
}

}  // namespace chatroom
