#include "protocol/line_framer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace chatroom {
namespace {

// Records what the framer reports; "!" stands for an over-long line.
struct RecordingSink final : LineSink {
  std::vector<std::string> events;
  std::size_t stop_after = SIZE_MAX;

  FeedControl on_line(std::string_view line) override { return record(std::string(line)); }
  FeedControl on_line_too_long() override { return record("!"); }
  FeedControl record(std::string event) {
    events.push_back(std::move(event));
    return events.size() >= stop_after ? FeedControl::Stop : FeedControl::Continue;
  }
};

using Lines = std::vector<std::string>;

TEST(LineFramer, LineSplitAcrossManyReadsIsDeliveredWhole) {
  LineFramer framer(100);
  RecordingSink sink;
  for (const char c : std::string("hello world\n")) framer.feed(std::string_view(&c, 1), sink);
  EXPECT_EQ(sink.events, Lines{"hello world"});
  EXPECT_EQ(framer.buffered_bytes(), 0U);
}

TEST(LineFramer, APartialLineCompletedByTheOwnerIsALineAndTheNextStartsAfresh) {
  LineFramer framer(100);
  RecordingSink sink;
  framer.feed("one\nwelcome without newline", sink);
  framer.complete_partial_line(sink);
  framer.complete_partial_line(sink);  // nothing held: nothing reported
  framer.feed("<a>:\thi\n", sink);
  EXPECT_EQ(sink.events, (Lines{"one", "welcome without newline", "<a>:\thi"}));
  EXPECT_FALSE(framer.mid_line());
}

TEST(LineFramer, ManyLinesInOneReadAreDeliveredInOrder) {
  LineFramer framer(100);
  RecordingSink sink;
  framer.feed("one\ntwo\nthree\npartial", sink);
  EXPECT_EQ(sink.events, (Lines{"one", "two", "three"}));
  EXPECT_EQ(framer.buffered_bytes(), 7U);
  framer.feed(" end\n", sink);
  EXPECT_EQ(sink.events.back(), "partial end");
}

TEST(LineFramer, CarriageReturnBeforeNewlineIsStripped) {
  LineFramer framer(100);
  RecordingSink sink;
  framer.feed("dos\r\nunix\n\r\n", sink);
  EXPECT_EQ(sink.events, (Lines{"dos", "unix", ""}));
}

TEST(LineFramer, CarriageReturnSplitFromItsNewlineIsStillStripped) {
  LineFramer framer(100);
  RecordingSink sink;
  framer.feed("dos\r", sink);
  framer.feed("\n", sink);
  EXPECT_EQ(sink.events, Lines{"dos"});
}

TEST(LineFramer, LineOfExactlyTheLimitIsAccepted) {
  LineFramer framer(5);
  RecordingSink sink;
  framer.feed("12345\n12345\r\n", sink);
  EXPECT_EQ(sink.events, (Lines{"12345", "12345"}));
}

TEST(LineFramer, OverLongLineInOneReadIsReportedOnceAndDropped) {
  LineFramer framer(5);
  RecordingSink sink;
  framer.feed("123456\nok\n", sink);
  EXPECT_EQ(sink.events, (Lines{"!", "ok"}));
}

TEST(LineFramer, OverLongLineAcrossReadsIsReportedEarlyAndItsRestDropped) {
  LineFramer framer(5);
  RecordingSink sink;
  framer.feed("1234", sink);
  framer.feed("5678", sink);
  EXPECT_EQ(sink.events, Lines{"!"});
  EXPECT_EQ(framer.buffered_bytes(), 0U) << "an over-long line is never buffered past the limit";
  framer.feed(std::string(10000, 'x'), sink);
  framer.feed("tail\nnext\n", sink);
  EXPECT_EQ(sink.events, (Lines{"!", "next"}));
}

TEST(LineFramer, StopDiscardsTheRestOfTheChunk) {
  LineFramer framer(100);
  RecordingSink sink;
  sink.stop_after = 1;
  framer.feed("a\nb\nc\n", sink);
  EXPECT_EQ(sink.events, Lines{"a"});
}

// Differential: however a byte stream is cut into reads, the framer reports the same events.
TEST(LineFramer, AnyChunkingOfTheSameBytesYieldsTheSameLines) {
  std::mt19937 random(2026);
  for (int round = 0; round < 200; ++round) {
    std::string stream;
    const int pieces = static_cast<int>(random() % 40);
    for (int i = 0; i < pieces; ++i) {
      switch (random() % 6) {
        case 0: stream += "\n"; break;
        case 1: stream += "\r\n"; break;
        case 2: stream += std::string(random() % 30, 'L'); break;  // sometimes over the limit
        case 3: stream.push_back(static_cast<char>(random() % 256)); break;
        default: stream += "word "; break;
      }
    }
    LineFramer whole_framer(16);
    RecordingSink whole;
    whole_framer.feed(stream, whole);

    LineFramer chunked_framer(16);
    RecordingSink chunked;
    std::size_t at = 0;
    while (at < stream.size()) {
      const std::size_t length = std::min<std::size_t>(1 + random() % 7, stream.size() - at);
      chunked_framer.feed(std::string_view(stream).substr(at, length), chunked);
      at += length;
    }
    ASSERT_EQ(chunked.events, whole.events) << "round " << round;
    ASSERT_EQ(chunked_framer.buffered(), whole_framer.buffered());
  }
}

}  // namespace
}  // namespace chatroom
