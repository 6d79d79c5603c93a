#include "server/login_throttle.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "server/server_password.hpp"
#include "support/temp_dir.hpp"

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

TEST(ServerPassword, MatchesOnlyTheExactPassword) {
  const ServerPassword password("s3cret words");
  EXPECT_TRUE(password.matches("s3cret words"));
  EXPECT_FALSE(password.matches("s3cret word"));
  EXPECT_FALSE(password.matches("s3cret words "));
  EXPECT_FALSE(password.matches(""));
}

TEST(ServerPassword, TheFileIsTrimmedAndAnEmptyOrMissingFileIsRefusedByName) {
  testing::TempDir dir;
  std::ofstream(dir.file("ok")) << "\n  two words\t\r\n";
  EXPECT_TRUE(ServerPassword::from_file(dir.file("ok")).matches("two words"));
  std::ofstream(dir.file("blank")) << " \n\t\n";
  EXPECT_THROW(ServerPassword::from_file(dir.file("blank")), std::runtime_error);
  try {
    ServerPassword::from_file(dir.file("missing"));
    ADD_FAILURE() << "a missing file was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(dir.file("missing")), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace chatroom
