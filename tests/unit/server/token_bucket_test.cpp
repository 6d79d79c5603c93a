#include "server/token_bucket.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, AllowsABurstThenTheSteadyRate) {
  TokenBucket bucket(20, 40);
  const TimePoint start{};
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += bucket.try_take(start) ? 1 : 0;
  EXPECT_EQ(taken, 40) << "the burst";
  EXPECT_FALSE(bucket.try_take(start + 10ms)) << "a fifth of a token has come back";
  EXPECT_TRUE(bucket.try_take(start + 50ms)) << "one token per 50 ms at 20/s";
  EXPECT_FALSE(bucket.try_take(start + 60ms));
  int after_a_minute = 0;
  for (int i = 0; i < 100; ++i) after_a_minute += bucket.try_take(start + 60s) ? 1 : 0;
  EXPECT_EQ(after_a_minute, 40) << "refills up to the burst, not beyond";
}

TEST(TokenBucket, ZeroRateMeansUnlimited) {
  TokenBucket bucket(0, 1);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(bucket.try_take(TimePoint{}));
}

}  // namespace
}  // namespace chatroom
