// The load tool's pieces: histogram, payload stamps, target parsing and both wire protocols.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loadgen/latency_histogram.hpp"
#include "loadgen/load_config.hpp"
#include "loadgen/payload.hpp"
#include "loadgen/report.hpp"
#include "loadgen/wire.hpp"

namespace chatroom::bench {
namespace {

TEST(LatencyHistogram, PercentilesAreWithinTwoPercent) {
  LatencyHistogram histogram;
  for (std::int64_t value = 1; value <= 100000; ++value) histogram.record(value * 1000);  // 1 us .. 100 ms
  EXPECT_EQ(histogram.count(), 100000U);
  EXPECT_NEAR(static_cast<double>(histogram.value_at(0.5)), 50e6, 50e6 * 0.02);
  EXPECT_NEAR(static_cast<double>(histogram.value_at(0.99)), 99e6, 99e6 * 0.02);
  EXPECT_EQ(histogram.value_at(1.0), 100000 * 1000);
  EXPECT_EQ(histogram.max(), 100000 * 1000);
}

TEST(LatencyHistogram, MergeAddsCounts) {
  LatencyHistogram first;
  LatencyHistogram second;
  first.record(10);
  second.record(1'000'000);
  first.merge(second);
  EXPECT_EQ(first.count(), 2U);
  EXPECT_EQ(first.min(), 10);
  EXPECT_EQ(first.max(), 1'000'000);
}

TEST(Payload, StampSurvivesARoundTripAtTheRequestedSize) {
  std::string payload;
  append_payload(payload, PayloadStamp{3, 123456789, 987654321012345}, 64);
  EXPECT_EQ(payload.size(), 64U);
  const auto stamp = parse_payload(payload);
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->sender, 3U);
  EXPECT_EQ(stamp->sequence, 123456789U);
  EXPECT_EQ(stamp->sent_ns, 987654321012345);
}

TEST(Payload, ForeignTextIsNotAStamp) {
  EXPECT_FALSE(parse_payload("hello"));
  EXPECT_FALSE(parse_payload("B1.2"));
}

TEST(Target, ParsesChatRedisAndIpv6Forms) {
  EXPECT_EQ(Target::parse("127.0.0.1:7001").to_string(), "chat://127.0.0.1:7001");
  EXPECT_EQ(Target::parse("redis://127.0.0.1").to_string(), "redis://127.0.0.1:6379");
  EXPECT_EQ(Target::parse("chat://[::1]:7002").to_string(), "chat://[::1]:7002");
  EXPECT_THROW(Target::parse("127.0.0.1:99999"), std::invalid_argument);
  EXPECT_THROW(Target::parse("[::1:7000"), std::invalid_argument);
}

struct Recorded final : WireEvents {
  int ready = 0;
  std::vector<std::string> payloads;
  std::vector<std::string> errors;
  void on_ready() override { ++ready; }
  void on_payload(std::string_view payload) override { payloads.emplace_back(payload); }
  void on_protocol_error(std::string_view what) override { errors.emplace_back(what); }
};

TEST(ChatWire, ParsesWelcomeAndChatLinesAndKeepsPartialOnes) {
  const auto wire = make_chat_wire();
  Recorded events;
  const std::string input = "connected to chat room at : 127.0.0.1:7000\n<127.0.0.1:5>:\tB0.1.2.xx\n<127.0";
  const std::size_t consumed = wire->parse(input, events);
  EXPECT_EQ(events.ready, 1);
  EXPECT_EQ(events.payloads, std::vector<std::string>{"B0.1.2.xx"});
  EXPECT_EQ(input.substr(consumed), "<127.0");
  std::string published;
  wire->append_publish(published, "B0.1.2.xx");
  EXPECT_EQ(published, "B0.1.2.xx\n");
}

TEST(RedisWire, ParsesSubscribeConfirmationMessagesAndReplies) {
  const auto wire = make_redis_wire("ch");
  Recorded events;
  const std::string input =
      "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
      "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"
      ":42\r\n"
      "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nwor";
  const std::size_t consumed = wire->parse(input, events);
  EXPECT_EQ(events.ready, 1);
  EXPECT_EQ(events.payloads, std::vector<std::string>{"hello"});
  EXPECT_EQ(input.substr(consumed).rfind("*3\r\n$7\r\nmessage", 0), 0U) << "the partial message is left";
  wire->parse("-ERR max number of clients reached\r\n", events);
  EXPECT_EQ(events.errors, std::vector<std::string>{"ERR max number of clients reached"});
}

TEST(RedisWire, EncodesPublishAndSubscribeAsRespArrays) {
  const auto wire = make_redis_wire("ch");
  std::string out;
  wire->append_subscribe(out);
  wire->append_publish(out, "hi");
  EXPECT_EQ(out, "*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$2\r\nhi\r\n");
}

TEST(Report, LargeNumbersAreGroupedInThousands) {
  LoadConfig config;
  config.rate = 1234567;
  LoadResult result;
  result.broadcasts = 999;
  result.warmup_broadcasts = 1000;
  result.deliveries = 12345678;
  result.elapsed_s = 1.0;
  const std::string table = format_table(config, result);
  EXPECT_NE(table.find("open loop at 1,234,567 broadcasts/s"), std::string::npos) << table;
  EXPECT_NE(table.find("broadcasts      999 measured (+1,000 warm-up)"), std::string::npos) << table;
  EXPECT_NE(table.find("deliveries      12,345,678 in 1.000 s = 12,345,678/s"), std::string::npos) << table;
}

}  // namespace
}  // namespace chatroom::bench
