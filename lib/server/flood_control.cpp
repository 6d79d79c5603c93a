// Episodes over a token bucket.
#include "server/flood_control.hpp"

namespace chatroom {

FloodControl::FloodControl(double rate_per_second, std::size_t burst, std::size_t disconnect_after_drops)
    : bucket_(rate_per_second, burst), disconnect_after_drops_(disconnect_after_drops) {}

FloodControl::Verdict FloodControl::judge(TimePoint now) {
  // A full bucket means the client has been under the rate for a whole burst's worth of time:
  // whatever flood it was in is over. Tokens coming back one at a time during a flood do not
  // end it, or a sustained flood would be warned once per token.
  if (bucket_.full_at(now)) drops_in_episode_ = 0;
  if (bucket_.try_take(now)) return Verdict::Admit;
  ++drops_in_episode_;
  if (disconnect_after_drops_ > 0 && drops_in_episode_ >= disconnect_after_drops_) return Verdict::Disconnect;
  return drops_in_episode_ == 1 ? Verdict::DropAndWarn : Verdict::Drop;
}

}  // namespace chatroom
