#include "server/login_throttle.hpp"

#include <gtest/gtest.h>

#include <fstream>


namespace chatroom {
namespace {

using namespace std::chrono_literals;

TEST(LoginThrottle, AnAddressIsLockedOutAfterMaxFailuresWithinTheWindowAndForgivenAfterTheLockout) {
  LoginThrottle throttle({3, 60s, 30s, 1s});
  const TimePoint start{};
  throttle.record_failure("10.0.0.1", start);
  throttle.record_failure("10.0.0.1", start + 1s);
  EXPECT_FALSE(throttle.locked_out("10.0.0.1", start + 2s));
  throttle.record_failure("10.0.0.1", start + 2s);
  EXPECT_TRUE(throttle.locked_out("10.0.0.1", start + 3s));
  EXPECT_FALSE(throttle.locked_out("10.0.0.2", start + 3s)) << "another address pays nothing";
  EXPECT_FALSE(throttle.locked_out("10.0.0.1", start + 33s));
}

TEST(LoginThrottle, FailuresSpreadWiderThanTheWindowNeverLockOut) {
  LoginThrottle throttle({3, 10s, 30s, 1s});
  TimePoint now{};
  for (int i = 0; i < 10; ++i, now += 6s) throttle.record_failure("10.0.0.1", now);
  EXPECT_FALSE(throttle.locked_out("10.0.0.1", now));
}

TEST(LoginThrottle, ASuccessClearsTheCount) {
  LoginThrottle throttle({2, 60s, 30s, 1s});
  throttle.record_failure("10.0.0.1", TimePoint{});
  throttle.record_success("10.0.0.1");
  throttle.record_failure("10.0.0.1", TimePoint{} + 1s);
  EXPECT_FALSE(throttle.locked_out("10.0.0.1", TimePoint{} + 2s));
}

TEST(LoginThrottle, TheTableStaysBoundedUnderGuessesFromManyAddresses) {
  LoginThrottle throttle({5, 60s, 60s, 1s});
  for (std::size_t i = 0; i < LoginThrottle::kMaxTrackedAddresses + 5000; ++i) {
    throttle.record_failure("addr" + std::to_string(i), TimePoint{});
  }
  EXPECT_LE(throttle.tracked_addresses(), LoginThrottle::kMaxTrackedAddresses);
}

}  // namespace
}  // namespace chatroom
