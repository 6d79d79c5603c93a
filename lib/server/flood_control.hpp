// Flood control for one client: a token bucket for its lines, and the flood episode it is in.
// An episode starts with the first line dropped and lasts until the client has stayed under
// the rate long enough to earn its whole burst back. The client is warned once per episode,
// so the warnings cannot become a flood of their own, and cut off after too many drops in one.
#pragma once

#include <cstddef>

#include "reactor/clock.hpp"
#include "server/token_bucket.hpp"

namespace chatroom {

class FloodControl {
 public:
  enum class Verdict {
    Admit,
    DropAndWarn,  // the first drop of an episode
    Drop,
    Disconnect,   // this drop reached the episode's limit
  };

  // rate_per_second <= 0 admits everything; disconnect_after_drops == 0 never disconnects.
  FloodControl(double rate_per_second, std::size_t burst, std::size_t disconnect_after_drops);

  // The verdict on a line arriving at `now`.
  Verdict judge(TimePoint now);
  [[nodiscard]] std::size_t drops_in_episode() const { return drops_in_episode_; }

 private:
  TokenBucket bucket_;
  std::size_t disconnect_after_drops_;
  std::size_t drops_in_episode_ = 0;
};

}  // namespace chatroom
