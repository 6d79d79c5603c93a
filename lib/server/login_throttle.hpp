// Counts wrong passwords per address and shuts out an address that keeps guessing: after
// `max_failures` within `window`, it is refused for `lockout`. The table is bounded, so a
// guesser spread over many addresses cannot make it grow without end.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "reactor/clock.hpp"

namespace chatroom {

struct LoginLimits {
  std::size_t max_failures = 5;
  Duration window = std::chrono::seconds(60);
  Duration lockout = std::chrono::seconds(60);
  // How long a wrong password waits before its connection is closed: it makes each guess
  // cost the guesser time, not us (a timer, not a sleep).
  Duration failure_delay = std::chrono::seconds(1);
};

class LoginThrottle {
 public:
  static constexpr std::size_t kMaxTrackedAddresses = 65536;

  explicit LoginThrottle(LoginLimits limits) : limits_(limits) {}

  [[nodiscard]] bool locked_out(const std::string& address, TimePoint now) const;
  void record_failure(const std::string& address, TimePoint now);
  void record_success(const std::string& address) { failures_.erase(address); }
  [[nodiscard]] const LoginLimits& limits() const { return limits_; }
  [[nodiscard]] std::size_t tracked_addresses() const { return failures_.size(); }

 private:
  struct Failures {
    std::size_t count = 0;
    TimePoint first_at{};
    TimePoint locked_until{};
  };
  void make_room(TimePoint now);

  LoginLimits limits_;
  std::unordered_map<std::string, Failures> failures_;
};

}  // namespace chatroom
