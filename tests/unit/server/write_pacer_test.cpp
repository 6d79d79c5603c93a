// The rest after a round of flushes: only after a large round of one-line writes, and only as
// long as keeps such rounds to the duty given, counting the time the loop had nothing to write.
#include "server/write_pacer.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kLarge = WritePacer::kPacedFromWrites;
const TimePoint kStart{1s};

TEST(WritePacer, BackToBackRoundsOfOneLineWritesAreKeptToTheDutyByARest) {
  const WritePacer pacer(0.6);
  // 6 ms busy straight after the last round, at a duty of 0.6: 4 ms of rest.
  EXPECT_EQ(pacer.next_round_at(kStart, kStart, kStart + 6ms, kLarge, kLarge), kStart + 10ms);
  const WritePacer half(0.5);
  EXPECT_EQ(half.next_round_at(kStart, kStart, kStart + 3ms, 1000, 1500), kStart + 6ms);
}

TEST(WritePacer, TheTimeTheLoopHadNothingToWriteCountsAsRest) {
  const WritePacer pacer(0.6);
  // 1 ms idle before 6 ms of writes: 3 ms more make 10.
  EXPECT_EQ(pacer.next_round_at(kStart - 1ms, kStart, kStart + 6ms, kLarge, kLarge), kStart + 9ms);
  // 4 ms idle or more: none.
  EXPECT_EQ(pacer.next_round_at(kStart - 4ms, kStart, kStart + 6ms, kLarge, kLarge), kStart + 6ms);
  EXPECT_EQ(pacer.next_round_at(kStart - 1s, kStart, kStart + 6ms, kLarge, kLarge), kStart + 6ms);
}

TEST(WritePacer, WritesThatCarrySeveralMessagesEachAreNotHeldBack) {
  const WritePacer pacer(0.6);
  const std::size_t batched = WritePacer::kBatchedMessagesPerWrite * kLarge;
  EXPECT_EQ(pacer.next_round_at(kStart, kStart, kStart + 6ms, kLarge, batched), kStart + 6ms);
  EXPECT_GT(pacer.next_round_at(kStart, kStart, kStart + 6ms, kLarge, batched - 1), kStart + 6ms);
}

TEST(WritePacer, ASmallRoundOrADutyOfOneIsNotFollowedByARest) {
  EXPECT_EQ(WritePacer(0.6).next_round_at(kStart, kStart, kStart + 6ms, kLarge - 1, kLarge - 1), kStart + 6ms);
  EXPECT_EQ(WritePacer(1.0).next_round_at(kStart, kStart, kStart + 6ms, 5000, 5000), kStart + 6ms);
}

}  // namespace
}  // namespace chatroom
