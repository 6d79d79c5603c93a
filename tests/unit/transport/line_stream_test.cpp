// LineStream over a real socketpair: framing, the read budget, gathered and partial writes,
// the output limit, closes and cut-offs.
#include "transport/line_stream.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "support/socket_pair.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

// Plays the owner: records what the stream reports, closes it when a limit passes (as the
// server does, after its notice), and flushes on request, as the end-of-turn hook would.
struct RecordingEvents final : LineStreamEvents {
  LineStream* stream = nullptr;
  std::vector<std::string> lines;
  int flush_requests = 0;
  int budget_exhaustions = 0;
  std::vector<CloseReason> limits_passed;
  std::optional<CloseReason> closed;
  std::string closed_detail;
  int lines_too_long = 0;

  void on_line(std::string_view line) override { lines.emplace_back(line); }
  void on_line_too_long() override { ++lines_too_long; }
  void on_flush_needed() override { ++flush_requests; }
  void on_read_budget_exhausted() override { ++budget_exhaustions; }
  void on_limit_passed(CloseReason reason) override {
    limits_passed.push_back(reason);
    stream->close(reason);
  }
  [[nodiscard]] Farewell farewell_for(CloseReason, std::string_view) const override { return {}; }
  void on_closed(CloseReason reason, std::string_view detail) override {
    closed = reason;
    closed_detail = detail;
  }

  void flush_requested() {
    if (flush_requests == 0) return;
    flush_requests = 0;
    stream->flush();
  }
};

class LineStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::SocketPair sockets = testing::make_socket_pair();
    server_side_ = std::move(sockets.ours);
    peer_ = std::move(sockets.peer);
  }

  LineStream& open(const StreamLimits& limits) {
    limits_ = limits;
    scratch_.emplace(limits.read_budget_bytes);
    stream_.emplace(std::make_unique<PlainTransport>(std::move(server_side_)), reactor_, events_, limits_, *scratch_);
    events_.stream = &*stream_;
    return *stream_;
  }

  void peer_sends(const std::string& bytes) {
    ASSERT_EQ(::write(peer_.get(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

  std::string peer_reads_available() { return testing::read_available(peer_.get()); }

  SteadyClock clock_;
  Reactor reactor_{clock_};
  RecordingEvents events_;
  StreamLimits limits_;
  std::optional<ScratchBuffers> scratch_;
  UniqueFd server_side_;
  UniqueFd peer_;
  std::optional<LineStream> stream_;
};

TEST_F(LineStreamTest, LinesFromTheSocketReachTheOwnerInOrder) {
  LineStream& stream = open({});
  peer_sends("first\nsecond\r\nthi");
  stream.read_within_budget();
  EXPECT_EQ(events_.lines, (std::vector<std::string>{"first", "second"}));
  peer_sends("rd\n");
  stream.read_within_budget();
  EXPECT_EQ(events_.lines.back(), "third");
  EXPECT_EQ(events_.budget_exhaustions, 0);
}

TEST_F(LineStreamTest, ReadBudgetLimitsBytesPerWakeupAndAsksForAnotherTurn) {
  StreamLimits limits;
  limits.read_budget_bytes = 1000;
  LineStream& stream = open(limits);
  const std::string line = std::string(99, 'x') + "\n";  // 100 bytes
  std::string flood;
  for (int i = 0; i < 50; ++i) flood += line;
  peer_sends(flood);

  stream.read_within_budget();
  EXPECT_EQ(events_.lines.size(), 10U) << "one wakeup reads no more than the budget";
  EXPECT_EQ(events_.budget_exhaustions, 1);

  int turns = 1;
  while (events_.lines.size() < 50 && turns < 100) {
    stream.read_within_budget();
    ++turns;
  }
  EXPECT_EQ(events_.lines.size(), 50U);
  EXPECT_EQ(turns, 5);
}

TEST_F(LineStreamTest, ConnectionWaitingForItsNextBudgetIgnoresNewEdgesAndAsksOnce) {
  StreamLimits limits;
  limits.read_budget_bytes = 1000;
  LineStream& stream = open(limits);
  const std::string line = std::string(99, 'x') + "\n";  // 100 bytes
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += line;

  peer_sends(burst);
  reactor_.run_once(0ms);
  EXPECT_EQ(stream.bytes_received(), 1000U);
  EXPECT_EQ(events_.budget_exhaustions, 1);

  // More input is a new edge-triggered event; the connection already waits for its turn on
  // the owner's list, so it must neither read again nor ask to be queued again.
  for (int turn = 0; turn < 3; ++turn) {
    peer_sends(burst);
    reactor_.run_once(0ms);
  }
  EXPECT_EQ(stream.bytes_received(), 1000U) << "read on a new edge before its turn";
  EXPECT_EQ(events_.budget_exhaustions, 1) << "queued more than once";

  stream.read_within_budget();  // its turn
  EXPECT_EQ(stream.bytes_received(), 2000U);
  EXPECT_EQ(events_.budget_exhaustions, 2);
}

TEST_F(LineStreamTest, ManyQueuedMessagesLeaveInOneGatheredWrite) {
  LineStream& stream = open({});
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    const std::string message = "message " + std::to_string(i) + "\n";
    stream.queue(SharedBytes::copy_of(message));
    expected += message;
  }
  ASSERT_EQ(events_.flush_requests, 1) << "one flush request however many messages";
  events_.flush_requested();
  EXPECT_EQ(stream.write_calls(), 1U);
  EXPECT_EQ(peer_reads_available(), expected);
}

TEST_F(LineStreamTest, PartialWritesKeepTheRemainderAndOrder) {
  const int small = 4096;
  ASSERT_EQ(::setsockopt(peer_.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
  ASSERT_EQ(::setsockopt(server_side_.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
  LineStream& stream = open({});
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    std::string message = std::to_string(i) + ":" + std::string(200, static_cast<char>('a' + i % 26)) + "\n";
    stream.queue(SharedBytes::copy_of(message));
    expected += message;
  }
  events_.flush_requested();
  ASSERT_GT(stream.queued_output_bytes(), 0U) << "the kernel cannot have taken 400 KB at once";

  std::string received;
  for (int turn = 0; turn < 10000 && received.size() < expected.size(); ++turn) {
    received += peer_reads_available();
    reactor_.run_once(10ms);  // EPOLLOUT marks it writable again and requests a flush
    events_.flush_requested();
  }
  received += peer_reads_available();
  EXPECT_EQ(received, expected);
  EXPECT_EQ(stream.queued_output_bytes(), 0U);
}

TEST_F(LineStreamTest, QueuePastTheOutputLimitThatTheKernelWillNotTakeTellsTheOwner) {
  const int small = 4096;
  ASSERT_EQ(::setsockopt(peer_.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
  ASSERT_EQ(::setsockopt(server_side_.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
  StreamLimits limits;
  limits.max_output_bytes = 64 * 1024;
  LineStream& stream = open(limits);
  const SharedBytes message = SharedBytes::copy_of(std::string(1000, 'm'));
  int delivered = 0;
  while (stream.state() == LineStream::State::Open && delivered < 1000) {
    stream.queue(message);
    ++delivered;
  }
  EXPECT_EQ(events_.limits_passed, std::vector<CloseReason>{CloseReason::OutputLimitExceeded});
  EXPECT_EQ(stream.state(), LineStream::State::Closed);
  EXPECT_EQ(events_.closed, CloseReason::OutputLimitExceeded);
  EXPECT_GT(delivered, 64) << "the limit, plus what the kernel took when the limit was reached";
  EXPECT_EQ(message.use_count(), 1U) << "a closed stream holds no queued messages";
}

TEST_F(LineStreamTest, BurstPastTheOutputLimitWithinOneTurnIsWrittenNotCutOff) {
  StreamLimits limits;
  limits.max_output_bytes = 1000;
  LineStream& stream = open(limits);
  const SharedBytes message = SharedBytes::copy_of(std::string(300, 'm'));
  for (int i = 0; i < 10; ++i) stream.queue(message);  // 3,000 bytes before any end-of-turn flush
  EXPECT_EQ(stream.state(), LineStream::State::Open) << "the peer's buffer had room: not a slow consumer";
  events_.flush_requested();
  EXPECT_EQ(peer_reads_available(), std::string(3000, 'm'));
}

TEST_F(LineStreamTest, EndOfFileClosesTheStream) {
  LineStream& stream = open({});
  peer_.reset();
  stream.read_within_budget();
  EXPECT_EQ(events_.closed, CloseReason::PeerClosed);
}

TEST_F(LineStreamTest, OverLongLineIsReportedInsteadOfALine) {
  StreamLimits limits;
  limits.max_line_bytes = 10;
  LineStream& stream = open(limits);
  peer_sends(std::string(50, 'z') + "\nshort\n");
  stream.read_within_budget();
  EXPECT_EQ(events_.lines, std::vector<std::string>{"short"});
  EXPECT_EQ(events_.lines_too_long, 1);
  EXPECT_EQ(stream.state(), LineStream::State::Open);
}

TEST_F(LineStreamTest, DrainingWritesQueuedBytesThenClosesWithItsReasonAndEndOfFile) {
  LineStream& stream = open({});
  stream.queue(SharedBytes::copy_of("last words"));
  stream.discard_input_and_close_when_flushed(CloseReason::ServerShutdown);
  EXPECT_EQ(stream.state(), LineStream::State::Draining);
  events_.flush_requested();
  EXPECT_EQ(stream.state(), LineStream::State::Closed);
  EXPECT_EQ(events_.closed, CloseReason::ServerShutdown);
  EXPECT_EQ(peer_reads_available(), "last words");
  char byte = 0;
  EXPECT_EQ(::read(peer_.get(), &byte, 1), 0) << "EOF after the last bytes";
}

TEST_F(LineStreamTest, CutOffWritesWhatIsQueuedAndItsNoticeThenEndOfFile) {
  LineStream& stream = open({});
  stream.queue(SharedBytes::copy_of("queued before\n"));  // not flushed yet: the turn is not over
  stream.cut_off(CloseReason::Flooding, SharedBytes::copy_of("! flooding: disconnected\n"), "the words");
  EXPECT_EQ(stream.state(), LineStream::State::Closed);
  EXPECT_EQ(events_.closed, CloseReason::Flooding);
  EXPECT_EQ(events_.closed_detail, "the words") << "what close was given reaches the owner";
  EXPECT_EQ(peer_reads_available(), "queued before\n! flooding: disconnected\n");
  char byte = 0;
  EXPECT_EQ(::read(peer_.get(), &byte, 1), 0) << "EOF after the notice";
}

TEST_F(LineStreamTest, CutOffOfAClientThatStoppedReadingNeitherBlocksNorKeepsItsQueue) {
  const int small = 4096;
  ASSERT_EQ(::setsockopt(peer_.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
  ASSERT_EQ(::setsockopt(server_side_.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
  LineStream& stream = open({});
  const SharedBytes message = SharedBytes::copy_of(std::string(1000, 'm'));
  for (int i = 0; i < 200; ++i) stream.queue(message);
  events_.flush_requested();  // the kernel takes what fits; the rest stays queued
  ASSERT_GT(stream.queued_output_bytes(), 100'000U);
  stream.cut_off(CloseReason::OutputLimitExceeded, SharedBytes::copy_of("! not reading: disconnected\n"));
  EXPECT_EQ(stream.state(), LineStream::State::Closed);
  EXPECT_EQ(message.use_count(), 1U) << "the unwritten queue is dropped";
}

TEST_F(LineStreamTest, TlsOnThePlainPortClosesAsTlsOnPlainPortNotAsAFailedRead) {
  limits_ = {};
  scratch_.emplace(limits_.read_budget_bytes);
  stream_.emplace(std::make_unique<PlainTransport>(std::move(server_side_), PlainTransport::TlsClients::Refused),
                  reactor_, events_, limits_, *scratch_);
  events_.stream = &*stream_;
  peer_sends(std::string("\x16\x03\x01\x02\x00\x01", 6));  // a ClientHello's first bytes
  stream_->read_within_budget();
  EXPECT_EQ(events_.closed, CloseReason::TlsOnPlainPort);
}

}  // namespace
}  // namespace chatroom
