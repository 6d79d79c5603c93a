#include "buffer/output_queue.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>
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

// Gathers with a staging buffer of `staging_bytes`; the iovecs' lengths go to `segments`.
std::string staged_text(const OutputQueue& queue, std::size_t staging_bytes, std::vector<std::size_t>& segments,
                        std::vector<bool>& in_staging) {
  std::array<iovec, 16> iovecs{};
  std::vector<char> staging(staging_bytes);
  const std::size_t count = queue.gather(iovecs, staging);
  std::string text;
  segments.clear();
  in_staging.clear();
  for (std::size_t i = 0; i < count; ++i) {
    const auto* base = static_cast<const char*>(iovecs[i].iov_base);
    text.append(base, iovecs[i].iov_len);
    segments.push_back(iovecs[i].iov_len);
    in_staging.push_back(base >= staging.data() && base < staging.data() + staging.size());
  }
  return text;
}

TEST(OutputQueue, SmallChunksAreStagedIntoOneSegmentAndLargeOnesDescribedInPlace) {
  OutputQueue queue;
  for (int i = 0; i < 40; ++i) queue.push(SharedBytes::copy_of("<ann>:\tline " + std::to_string(i % 10) + "\n"));
  const SharedBytes large = SharedBytes::copy_of(std::string(OutputQueue::kStagedBelowBytes, 'L'));
  queue.push(large);
  queue.push(SharedBytes::copy_of("after\n"));
  queue.consume(3);  // the kernel took "<an" of the first line
  std::vector<std::size_t> segments;
  std::vector<bool> in_staging;
  const std::string text = staged_text(queue, 4096, segments, in_staging);
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += "<ann>:\tline " + std::to_string(i % 10) + "\n";
  EXPECT_EQ(text, lines.substr(3) + std::string(large.view()) + "after\n");
  EXPECT_EQ(segments, (std::vector<std::size_t>{lines.size() - 3, OutputQueue::kStagedBelowBytes, 6}))
      << "40 lines in one staged segment, the large chunk in place, then a new staged segment";
  EXPECT_EQ(in_staging, (std::vector<bool>{true, false, true}));
}

TEST(OutputQueue, AFullStagingEndsTheGatherAndTheRestGoesNextTime) {
  OutputQueue queue;
  for (int i = 0; i < 10; ++i) queue.push(SharedBytes::copy_of(std::string(100, static_cast<char>('a' + i))));
  std::vector<std::size_t> segments;
  std::vector<bool> in_staging;
  EXPECT_EQ(staged_text(queue, 350, segments, in_staging), std::string(100, 'a') + std::string(100, 'b') + std::string(100, 'c'));
  queue.consume(300);
  EXPECT_EQ(staged_text(queue, 350, segments, in_staging).substr(0, 100), std::string(100, 'd'));
  EXPECT_EQ(segments, std::vector<std::size_t>{300});
}

TEST(OutputQueue, CopyFrontFillsAContiguousBufferFromWhereTheLastWriteStopped) {
  OutputQueue queue;
  queue.push(SharedBytes::copy_of("first\n"));
  queue.push(SharedBytes::copy_of("second\n"));
  queue.push(SharedBytes::copy_of("third\n"));
  queue.consume(3);
  std::array<char, 64> roomy{};
  EXPECT_EQ(std::string(roomy.data(), queue.copy_front(roomy)), "st\nsecond\nthird\n");
  std::array<char, 8> narrow{};
  EXPECT_EQ(std::string(narrow.data(), queue.copy_front(narrow)), "st\nsecon");
  EXPECT_EQ(queue.queued_bytes(), 16u);  // copying sends nothing
}

TEST(OutputQueue, ALoneChunkIsNeverCopied) {
  OutputQueue queue;
  queue.push(SharedBytes::copy_of("just one\n"));
  std::vector<std::size_t> segments;
  std::vector<bool> in_staging;
  EXPECT_EQ(staged_text(queue, 4096, segments, in_staging), "just one\n");
  EXPECT_EQ(in_staging, std::vector<bool>{false});
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

// Write pacing counts messages a write carries: a chunk of lines said together counts each.
TEST(OutputQueue, QueuedMessagesCountWhatEachChunkCarriesUntilItIsWrittenWhole) {
  OutputQueue queue;
  queue.push(SharedBytes::copy_of("a\nb\nc\n", 3));
  queue.push(SharedBytes::copy_of("d\n"));
  EXPECT_EQ(queue.queued_messages(), 4U);
  EXPECT_EQ(queue.chunk_count(), 2U);
  queue.consume(4);
  EXPECT_EQ(queue.queued_messages(), 4U) << "a chunk cut short still counts";
  queue.consume(2);
  EXPECT_EQ(queue.queued_messages(), 1U);
  queue.clear();
  EXPECT_EQ(queue.queued_messages(), 0U);
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
