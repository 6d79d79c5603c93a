// RedisBus and RedisConnection against a real redis-server on a free loopback port, the loop
// stepped by the test: hiredis driven by our reactor, subscriptions, the lease scripts,
// history lists, readiness, and what happens while Redis is away.
#include "cluster/redis_bus.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "support/redis_process.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

struct RecordingListener final : BusListener {
  std::vector<std::pair<std::string, std::string>> messages;
  int ups = 0;
  int downs = 0;
  void on_bus_message(std::string_view channel, std::string_view payload) override {
    messages.emplace_back(channel, payload);
  }
  void on_bus_up() override { ++ups; }
  void on_bus_down() override { ++downs; }
};

RedisBusSettings settings_for(const RedisProcess& redis, const std::string& node, std::uint64_t instance) {
  RedisBusSettings settings;
  settings.connection.address = RedisAddress::parse(redis.url());
  settings.origin = NodeOrigin{node, instance};
  settings.lease = 3000ms;
  return settings;
}

class RedisBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!redis_available()) GTEST_SKIP() << kRedisMissing;
    redis_ = std::make_unique<RedisProcess>();
  }
  // Steps the loop until `done` or 5 s; false on timeout.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5000ms) {
    const TimePoint deadline = clock_.now() + limit;
    while (!done()) {
      if (clock_.now() > deadline) return false;
      reactor_.run_once(10ms);
    }
    return true;
  }
  std::unique_ptr<RedisBus> started_bus(RecordingListener& listener, const std::string& node = "n1",
                                        std::uint64_t instance = 1) {
    auto bus = std::make_unique<RedisBus>(reactor_, settings_for(*redis_, node, instance));
    bus->start(listener);
    EXPECT_TRUE(run_until([&] { return listener.ups > 0; }));
    return bus;
  }

  SteadyClock clock_;
  Reactor reactor_{clock_};
  std::unique_ptr<RedisProcess> redis_;
};

TEST_F(RedisBusTest, APublishReachesEverySubscriberItselfIncludedAndNothingAfterUnsubscribing) {
  RecordingListener first;
  RecordingListener second;
  auto a = started_bus(first, "a");
  auto b = started_bus(second, "b");
  a->subscribe("room");
  b->subscribe("room");
  run_until([] { return false; }, 100ms);  // the SUBSCRIBEs reach Redis
  const std::string payload("any\0bytes\r\n at all", 18);
  a->publish("room", payload);
  ASSERT_TRUE(run_until([&] { return !first.messages.empty() && !second.messages.empty(); }));
  EXPECT_EQ(first.messages.front(), std::make_pair(std::string("room"), payload));
  EXPECT_EQ(second.messages.front(), std::make_pair(std::string("room"), payload));
  b->unsubscribe("room");
  run_until([] { return false; }, 100ms);
  a->publish("room", "after");
  ASSERT_TRUE(run_until([&] { return first.messages.size() == 2; }));
  run_until([] { return false; }, 100ms);
  EXPECT_EQ(second.messages.size(), 1U);
  EXPECT_EQ(a->counters().published, 2U);
}

TEST_F(RedisBusTest, SubscribingAgainWhileTheUnsubscribeIsInFlightKeepsTheSubscription) {
  RecordingListener listener;
  auto bus = started_bus(listener);
  bus->subscribe("room");
  run_until([] { return false; }, 100ms);
  // The last member leaves and a new one joins before Redis has answered the UNSUBSCRIBE.
  bus->unsubscribe("room");
  bus->subscribe("room");
  run_until([] { return false; }, 100ms);
  bus->publish("room", "still heard");
  EXPECT_TRUE(run_until([&] { return !listener.messages.empty(); }));
}

TEST_F(RedisBusTest, OfTwoNodesClaimingANameExactlyOneWinsUntilItIsReleased) {
  RecordingListener first;
  RecordingListener second;
  auto a = started_bus(first, "a");
  auto b = started_bus(second, "b");
  for (int round = 0; round < 20; ++round) {
    const std::string name = "name" + std::to_string(round);
    std::vector<NameClaim> answers;
    a->claim_name(name, [&](NameClaim claim) { answers.push_back(claim); });
    b->claim_name(name, [&](NameClaim claim) { answers.push_back(claim); });
    ASSERT_TRUE(run_until([&] { return answers.size() == 2; }));
    EXPECT_EQ(std::count(answers.begin(), answers.end(), NameClaim::Granted), 1) << name;
    EXPECT_EQ(std::count(answers.begin(), answers.end(), NameClaim::Taken), 1) << name;
  }
  std::vector<NameClaim> answers;
  a->claim_name("shared", [&](NameClaim claim) { answers.push_back(claim); });
  ASSERT_TRUE(run_until([&] { return answers.size() == 1; }));
  a->release_name("shared");
  b->claim_name("shared", [&](NameClaim claim) { answers.push_back(claim); });
  ASSERT_TRUE(run_until([&] { return answers.size() == 2; }));
  EXPECT_EQ(answers, (std::vector<NameClaim>{NameClaim::Granted, NameClaim::Granted}));
}

TEST_F(RedisBusTest, ANodesNextLifeFindsItsPreviousLifesNamesFree) {
  RecordingListener listener;
  std::vector<NameClaim> answers;
  auto first_life = started_bus(listener, "n1", 1);
  first_life->claim_name("bob", [&](NameClaim claim) { answers.push_back(claim); });
  ASSERT_TRUE(run_until([&] { return answers.size() == 1; }));
  RecordingListener other_listener;
  auto other = started_bus(other_listener, "n2", 7);
  other->claim_name("bob", [&](NameClaim claim) { answers.push_back(claim); });
  ASSERT_TRUE(run_until([&] { return answers.size() == 2; }));
  first_life.reset();  // dies without releasing anything
  RecordingListener next_listener;
  auto next_life = started_bus(next_listener, "n1", 2);
  next_life->claim_name("bob", [&](NameClaim claim) { answers.push_back(claim); });
  ASSERT_TRUE(run_until([&] { return answers.size() == 3; }));
  EXPECT_EQ(answers, (std::vector<NameClaim>{NameClaim::Granted, NameClaim::Taken, NameClaim::Granted}));
}

TEST_F(RedisBusTest, RenewingFindsNamesRedisLostAndTakesThemAgain) {
  RecordingListener listener;
  auto bus = started_bus(listener);
  std::vector<NameClaim> answers;
  bus->claim_name("alice", [&](NameClaim claim) { answers.push_back(claim); });
  ASSERT_TRUE(run_until([&] { return answers.size() == 1; }));
  redis_->cli({"FLUSHALL"});
  std::optional<std::vector<std::string>> lost;
  bus->renew_names({"alice"}, [&](std::vector<std::string> names) { lost = std::move(names); });
  ASSERT_TRUE(run_until([&] { return lost.has_value(); }));
  EXPECT_TRUE(lost->empty());
  EXPECT_NE(redis_->cli({"GET", "chatroom:nick:alice"}).find("n1/"), std::string::npos);
}

TEST_F(RedisBusTest, HistoryIsCappedAndReadOldestFirst) {
  RecordingListener listener;
  auto bus = started_bus(listener);
  for (int i = 0; i < 8; ++i) bus->append_history("lobby", "line " + std::to_string(i), 5);
  std::optional<std::vector<std::string>> lines;
  bus->read_history("lobby", 3, [&](std::vector<std::string> read) { lines = std::move(read); });
  ASSERT_TRUE(run_until([&] { return lines.has_value(); }));
  EXPECT_EQ(*lines, (std::vector<std::string>{"line 5", "line 6", "line 7"}));
  EXPECT_EQ(redis_->cli({"LLEN", "chatroom:history:lobby"}), "5\n");
}

TEST_F(RedisBusTest, AStoppedRedisIsNotReadyUntilItAnswersThoughItAcceptsTheConnection) {
  redis_->pause();
  RecordingListener listener;
  RedisBus bus(reactor_, settings_for(*redis_, "n1", 1));
  bus.start(listener);
  run_until([] { return false; }, 500ms);
  EXPECT_EQ(listener.ups, 0) << "the kernel completed the handshake, but Redis did not answer";
  bus.publish("room", "dropped");
  EXPECT_EQ(bus.counters().dropped_while_down, 1U);
  redis_->resume();
  EXPECT_TRUE(run_until([&] { return listener.ups == 1; }, 10000ms));
}

TEST_F(RedisBusTest, AfterARestartTheBusComesBackSubscribedAndCountsWhatItDroppedMeanwhile) {
  RecordingListener listener;
  auto bus = started_bus(listener);
  bus->subscribe("room");
  redis_->kill();
  ASSERT_TRUE(run_until([&] { return listener.downs == 1; }));
  bus->publish("room", "lost");
  EXPECT_EQ(bus->counters().dropped_while_down, 1U);
  redis_->restart();
  ASSERT_TRUE(run_until([&] { return listener.ups == 2; }, 5000ms)) << "back within the 1 s backoff and a PING";
  bus->publish("room", "heard");
  ASSERT_TRUE(run_until([&] { return !listener.messages.empty(); }));
  EXPECT_EQ(listener.messages.front().second, "heard");
  EXPECT_EQ(bus->counters().connects, 2U);
}

}  // namespace
}  // namespace chatroom::testing
