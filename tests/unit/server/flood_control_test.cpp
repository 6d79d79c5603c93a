#include "server/flood_control.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace chatroom {
namespace {

using namespace std::chrono_literals;
using Verdict = FloodControl::Verdict;

// Lines sent every `interval` from `start`, `count` of them: the verdicts.
std::vector<Verdict> send_lines(FloodControl& control, TimePoint start, Duration interval, int count) {
  std::vector<Verdict> verdicts;
  for (int i = 0; i < count; ++i) verdicts.push_back(control.judge(start + i * interval));
  return verdicts;
}

int count_of(const std::vector<Verdict>& verdicts, Verdict wanted) {
  int count = 0;
  for (const Verdict verdict : verdicts) count += verdict == wanted ? 1 : 0;
  return count;
}

TEST(FloodControl, ASustainedFloodIsWarnedOnceNotOncePerRefill) {
  FloodControl control(20, 40, 0);  // never disconnects
  // 100 lines a second for 4 s against a limit of 20: a token comes back every 50 ms, so lines
  // keep being admitted now and then, but the flood never stops.
  const std::vector<Verdict> verdicts = send_lines(control, TimePoint{}, 10ms, 400);
  EXPECT_EQ(count_of(verdicts, Verdict::DropAndWarn), 1);
  EXPECT_GE(count_of(verdicts, Verdict::Admit), 40 + 70);
  EXPECT_GT(count_of(verdicts, Verdict::Drop), 200);
  EXPECT_EQ(count_of(verdicts, Verdict::Disconnect), 0);
}

TEST(FloodControl, AClientBackUnderTheLimitLongEnoughStartsANewEpisode) {
  FloodControl control(20, 40, 0);
  const std::vector<Verdict> first = send_lines(control, TimePoint{}, 1ms, 100);
  EXPECT_EQ(count_of(first, Verdict::DropAndWarn), 1);
  // A pause shorter than it takes to earn the whole burst back: still the same episode.
  const std::vector<Verdict> soon = send_lines(control, TimePoint{} + 1s, 1ms, 100);
  EXPECT_EQ(count_of(soon, Verdict::DropAndWarn), 0);
  // Two seconds refill all 40 tokens: the client has been under the limit for a while.
  const std::vector<Verdict> later = send_lines(control, TimePoint{} + 4s, 1ms, 100);
  EXPECT_EQ(count_of(later, Verdict::DropAndWarn), 1);
  EXPECT_GE(count_of(later, Verdict::Admit), 40) << "the whole burst, and what came back meanwhile";
  EXPECT_LE(count_of(later, Verdict::Admit), 43);
}

TEST(FloodControl, DisconnectsAfterSoManyDropsInOneEpisodeEvenWithLinesAdmittedBetween) {
  FloodControl control(20, 40, 100);
  const std::vector<Verdict> verdicts = send_lines(control, TimePoint{}, 5ms, 400);
  ASSERT_GE(count_of(verdicts, Verdict::Disconnect), 1);
  // The burst of 40 at first, then one line in ten admitted; the 100th drop disconnects.
  int drops = 0;
  int admitted = 0;
  for (const Verdict verdict : verdicts) {
    if (verdict == Verdict::Disconnect) break;
    drops += verdict == Verdict::Drop || verdict == Verdict::DropAndWarn ? 1 : 0;
    admitted += verdict == Verdict::Admit ? 1 : 0;
  }
  EXPECT_EQ(drops, 99);
  EXPECT_GT(admitted, 40) << "lines admitted between drops do not restart the count";
}

TEST(FloodControl, ZeroRateAdmitsEverything) {
  FloodControl control(0, 1, 1);
  const std::vector<Verdict> verdicts = send_lines(control, TimePoint{}, 0ms, 1000);
  EXPECT_EQ(count_of(verdicts, Verdict::Admit), 1000);
}

}  // namespace
}  // namespace chatroom
