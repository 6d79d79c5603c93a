#include "reactor/throttled_warning.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

using namespace std::chrono_literals;

TEST(ThrottledWarning, LogsAtMostOncePerIntervalAndCountsTheRest) {
  ThrottledWarning warning(1s);
  const TimePoint start{};
  EXPECT_TRUE(warning.should_log(start));
  EXPECT_EQ(warning.suppressed(), 0U);
  for (int i = 1; i <= 99; ++i) EXPECT_FALSE(warning.should_log(start + i * 10ms));
  EXPECT_TRUE(warning.should_log(start + 1s));
  EXPECT_EQ(warning.suppressed(), 99U);
  EXPECT_TRUE(warning.should_log(start + 5s));
  EXPECT_EQ(warning.suppressed(), 0U);
}

}  // namespace
}  // namespace chatroom
