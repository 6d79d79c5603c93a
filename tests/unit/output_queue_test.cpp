#include "buffer/output_queue.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace chatroom {
namespace {

std::string gathered_text(const OutputQueue& queue, std::size_t max_iovecs = 16) {
  std::array<iovec, 16> iovecs{};
  const std::size_t count = queue.gather(std::span(iovecs).first(max_iovecs));
  std::string text;
  for (std::size_t i = 0; i < count; ++i) text.append(static_cast<const char*>(iovecs[i].iov_base), iovecs[i].iov_len);
  return text;
}

TEST(OutputQueue, GatherDescribesQueuedChunksInOrder) {
  OutputQueue queue;
  queue.push(SharedBytes::copy_of("one "));
  queue.push(SharedBytes::copy_of("two "));
  queue.push(SharedBytes::copy_of("three"));
  EXPECT_EQ(queue.queued_bytes(), 13U);
  EXPECT_EQ(gathered_text(queue), "one two three");
}

TEST(OutputQueue, PartialWriteKeepsRemainderQueued) {
  OutputQueue queue;
  queue.push(SharedBytes::copy_of("abcdef"));
  queue.push(SharedBytes::copy_of("ghij"));
  queue.consume(4);  // the kernel took "abcd"
  EXPECT_EQ(queue.queued_bytes(), 6U);
  EXPECT_EQ(gathered_text(queue), "efghij");
  queue.consume(3);  // "efg": the first chunk is done and dropped
  EXPECT_EQ(queue.chunk_count(), 1U);
  EXPECT_EQ(gathered_text(queue), "hij");
  queue.consume(3);
  EXPECT_TRUE(queue.empty());
}

TEST(OutputQueue, GatherStopsAtTheIovecLimitAndTheRestFollowsLater) {
  OutputQueue queue;
  for (int i = 0; i < 10; ++i) queue.push(SharedBytes::copy_of(std::to_string(i)));
  EXPECT_EQ(gathered_text(queue, 4), "0123");
  queue.consume(4);
  EXPECT_EQ(gathered_text(queue), "456789");
}

TEST(OutputQueue, OneSharedChunkInManyQueuesIsNotCopied) {
  const SharedBytes message = SharedBytes::copy_of("broadcast");
  OutputQueue first;
  OutputQueue second;
  first.push(message);
  second.push(message);
  EXPECT_EQ(message.use_count(), 3U);
  first.clear();
  second.consume(message.size());
  EXPECT_EQ(message.use_count(), 1U);
}

TEST(OutputQueue, RingWrapsAroundAndGrowsKeepingOrder) {
  OutputQueue queue;
  std::string expected;
  int next = 0;
  // Interleave pushes and partial consumption so the ring wraps before it has to grow.
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 5; ++i) {
      const std::string chunk = std::to_string(next++) + ",";
      queue.push(SharedBytes::copy_of(chunk));
      expected += chunk;
    }
    const std::size_t take = expected.size() / 2;
    queue.consume(take);
    expected.erase(0, take);
    EXPECT_EQ(gathered_text(queue, 16).substr(0, std::min<std::size_t>(expected.size(), 8)), expected.substr(0, 8));
  }
  queue.consume(queue.queued_bytes());
  EXPECT_TRUE(queue.empty());
  queue.push(SharedBytes::copy_of("again"));
  EXPECT_EQ(gathered_text(queue), "again");
}

TEST(OutputQueue, EmptyChunksAreNotQueued) {
  OutputQueue queue;
  queue.push(SharedBytes::copy_of(""));
  EXPECT_TRUE(queue.empty());
}

TEST(OutputQueue, TallyFollowsEveryQueuedAndReleasedByte) {
  OutputTally tally;
  {
    OutputQueue first;
    OutputQueue second;
    first.push(SharedBytes::copy_of("before counting"));
    first.count_in(tally);
    second.count_in(tally);
    EXPECT_EQ(tally.bytes(), 15u) << "what was queued before counting began counts too";
    const SharedBytes shared = SharedBytes::copy_of("0123456789");
    first.push(shared);
    second.push(shared);
    EXPECT_EQ(tally.bytes(), 35u) << "a shared chunk counts once per queue";
    first.consume(20);
    EXPECT_EQ(tally.bytes(), 15u);
    second.clear();
    EXPECT_EQ(tally.bytes(), 5u);
  }
  EXPECT_EQ(tally.bytes(), 0u) << "a destroyed queue takes its bytes out";
}

}  // namespace
}  // namespace chatroom
