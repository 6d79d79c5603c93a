#include "server/connection.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

// Plays the server: records what the connection reports and flushes on request, as the
// end-of-turn hook would.
struct RecordingEvents final : ConnectionEvents {
  std::vector<std::string> lines;
  std::vector<Connection*> flush_requests;
  int budget_exhaustions = 0;
  std::optional<CloseReason> closed;

  int lines_too_long = 0;

  void on_line(Connection&, std::string_view line) override { lines.emplace_back(line); }
  void on_line_too_long(Connection&) override { ++lines_too_long; }
  void on_flush_needed(Connection& connection) override { flush_requests.push_back(&connection); }
  void on_read_budget_exhausted(Connection&) override { ++budget_exhaustions; }
  void on_closed(Connection&, CloseReason reason) override { closed = reason; }

  void flush_requested() {
    auto requests = std::move(flush_requests);
    flush_requests.clear();
    for (Connection* connection : requests) connection->flush();
  }
};

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    server_side_ = UniqueFd(fds[0]);
    peer_ = UniqueFd(fds[1]);
  }

  Connection& open(const ServerLimits& limits) {
    limits_ = limits;
    scratch_.emplace(limits.read_budget_bytes);
    connection_.emplace(1, std::make_unique<PlainTransport>(std::move(server_side_)), "peer", reactor_, events_, limits_, *scratch_);
    return *connection_;
  }

  void peer_sends(const std::string& bytes) {
    ASSERT_EQ(::write(peer_.get(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

  std::string peer_reads_available() {
    std::string received;
    char chunk[65536];
    for (;;) {
      const ssize_t n = ::read(peer_.get(), chunk, sizeof(chunk));
      if (n <= 0) return received;
      received.append(chunk, static_cast<std::size_t>(n));
    }
  }

  SteadyClock clock_;
  Reactor reactor_{clock_};
  RecordingEvents events_;
  ServerLimits limits_;
  std::optional<ScratchBuffers> scratch_;
  UniqueFd server_side_;
  UniqueFd peer_;
  std::optional<Connection> connection_;
};

TEST_F(ConnectionTest, LinesFromTheSocketReachTheOwnerInOrder) {
  Connection& connection = open({});
  peer_sends("first\nsecond\r\nthi");
  connection.read_within_budget();
  EXPECT_EQ(events_.lines, (std::vector<std::string>{"first", "second"}));
  peer_sends("rd\n");
  connection.read_within_budget();
  EXPECT_EQ(events_.lines.back(), "third");
  EXPECT_EQ(events_.budget_exhaustions, 0);
}

TEST_F(ConnectionTest, ReadBudgetLimitsBytesPerWakeupAndAsksForAnotherTurn) {
  ServerLimits limits;
  limits.read_budget_bytes = 1000;
  Connection& connection = open(limits);
  const std::string line = std::string(99, 'x') + "\n";  // 100 bytes
  std::string flood;
  for (int i = 0; i < 50; ++i) flood += line;
  peer_sends(flood);

  connection.read_within_budget();
  EXPECT_EQ(events_.lines.size(), 10U) << "one wakeup reads no more than the budget";
  EXPECT_EQ(events_.budget_exhaustions, 1);

  int turns = 1;
  while (events_.lines.size() < 50 && turns < 100) {
    connection.read_within_budget();
    ++turns;
  }
  EXPECT_EQ(events_.lines.size(), 50U);
  EXPECT_EQ(turns, 5);
}

TEST_F(ConnectionTest, ConnectionWaitingForItsNextBudgetIgnoresNewEdgesAndAsksOnce) {
  ServerLimits limits;
  limits.read_budget_bytes = 1000;
  Connection& connection = open(limits);
  const std::string line = std::string(99, 'x') + "\n";  // 100 bytes
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += line;

  peer_sends(burst);
  reactor_.run_once(0ms);
  EXPECT_EQ(connection.bytes_received(), 1000U);
  EXPECT_EQ(events_.budget_exhaustions, 1);

  // More input is a new edge-triggered event; the connection already waits for its turn on
  // the owner's list, so it must neither read again nor ask to be queued again.
  for (int turn = 0; turn < 3; ++turn) {
    peer_sends(burst);
    reactor_.run_once(0ms);
  }
  EXPECT_EQ(connection.bytes_received(), 1000U) << "read on a new edge before its turn";
  EXPECT_EQ(events_.budget_exhaustions, 1) << "queued more than once";

  connection.read_within_budget();  // its turn
  EXPECT_EQ(connection.bytes_received(), 2000U);
  EXPECT_EQ(events_.budget_exhaustions, 2);
}

TEST_F(ConnectionTest, ManyQueuedMessagesLeaveInOneGatheredWrite) {
  Connection& connection = open({});
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    const std::string message = "message " + std::to_string(i) + "\n";
    connection.deliver(SharedBytes::copy_of(message));
    expected += message;
  }
  ASSERT_EQ(events_.flush_requests.size(), 1U) << "one flush request however many messages";
  events_.flush_requested();
  EXPECT_EQ(connection.write_calls(), 1U);
  EXPECT_EQ(peer_reads_available(), expected);
}

TEST_F(ConnectionTest, PartialWritesKeepTheRemainderAndOrder) {
  const int small = 4096;
  ASSERT_EQ(::setsockopt(peer_.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
  ASSERT_EQ(::setsockopt(server_side_.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
  Connection& connection = open({});
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    std::string message = std::to_string(i) + ":" + std::string(200, static_cast<char>('a' + i % 26)) + "\n";
    connection.deliver(SharedBytes::copy_of(message));
    expected += message;
  }
  events_.flush_requested();
  ASSERT_GT(connection.queued_output_bytes(), 0U) << "the kernel cannot have taken 400 KB at once";

  std::string received;
  for (int turn = 0; turn < 10000 && received.size() < expected.size(); ++turn) {
    received += peer_reads_available();
    reactor_.run_once(10ms);  // EPOLLOUT marks it writable again and requests a flush
    events_.flush_requested();
  }
  received += peer_reads_available();
  EXPECT_EQ(received, expected);
  EXPECT_EQ(connection.queued_output_bytes(), 0U);
}

TEST_F(ConnectionTest, QueuePastTheOutputLimitThatTheKernelWillNotTakeClosesTheConnection) {
  const int small = 4096;
  ASSERT_EQ(::setsockopt(peer_.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
  ASSERT_EQ(::setsockopt(server_side_.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
  ServerLimits limits;
  limits.max_output_bytes = 64 * 1024;
  Connection& connection = open(limits);
  const SharedBytes message = SharedBytes::copy_of(std::string(1000, 'm'));
  int delivered = 0;
  while (connection.state() == Connection::State::Open && delivered < 1000) {
    connection.deliver(message);
    ++delivered;
  }
  EXPECT_EQ(connection.state(), Connection::State::Closed);
  EXPECT_EQ(events_.closed, CloseReason::OutputLimitExceeded);
  EXPECT_GT(delivered, 64) << "the limit, plus what the kernel took when the limit was reached";
  EXPECT_EQ(message.use_count(), 1U) << "a closed connection holds no queued messages";
}

TEST_F(ConnectionTest, BurstPastTheOutputLimitWithinOneTurnIsWrittenNotCutOff) {
  ServerLimits limits;
  limits.max_output_bytes = 1000;
  Connection& connection = open(limits);
  const SharedBytes message = SharedBytes::copy_of(std::string(300, 'm'));
  for (int i = 0; i < 10; ++i) connection.deliver(message);  // 3,000 bytes before any end-of-turn flush
  EXPECT_EQ(connection.state(), Connection::State::Open) << "the peer's buffer had room: not a slow consumer";
  events_.flush_requested();
  EXPECT_EQ(peer_reads_available(), std::string(3000, 'm'));
}

TEST_F(ConnectionTest, EndOfFileClosesTheConnection) {
  Connection& connection = open({});
  peer_.reset();
  connection.read_within_budget();
  EXPECT_EQ(events_.closed, CloseReason::PeerClosed);
}

TEST_F(ConnectionTest, OverLongLineIsReportedInsteadOfALine) {
  ServerLimits limits;
  limits.max_line_bytes = 10;
  Connection& connection = open(limits);
  peer_sends(std::string(50, 'z') + "\nshort\n");
  connection.read_within_budget();
  EXPECT_EQ(events_.lines, std::vector<std::string>{"short"});
  EXPECT_EQ(events_.lines_too_long, 1);
  EXPECT_EQ(connection.state(), Connection::State::Open);
}

TEST_F(ConnectionTest, CloseAfterFlushWritesQueuedBytesThenEndOfFile) {
  Connection& connection = open({});
  connection.deliver(SharedBytes::copy_of("last words"));
  connection.close_after_flush();
  EXPECT_EQ(connection.state(), Connection::State::Draining);
  events_.flush_requested();
  EXPECT_EQ(connection.state(), Connection::State::Closed);
  EXPECT_EQ(events_.closed, CloseReason::ServerShutdown);
  EXPECT_EQ(peer_reads_available(), "last words");
  char byte = 0;
  EXPECT_EQ(::read(peer_.get(), &byte, 1), 0) << "EOF after the last bytes";
}

TEST_F(ConnectionTest, CutOffWritesWhatIsQueuedAndItsNoticeThenEndOfFile) {
  Connection& connection = open({});
  connection.deliver(SharedBytes::copy_of("queued before\n"));  // not flushed yet: the turn is not over
  connection.cut_off(CloseReason::Flooding, SharedBytes::copy_of("! flooding: disconnected\n"));
  EXPECT_EQ(connection.state(), Connection::State::Closed);
  EXPECT_EQ(events_.closed, CloseReason::Flooding);
  EXPECT_EQ(peer_reads_available(), "queued before\n! flooding: disconnected\n");
  char byte = 0;
  EXPECT_EQ(::read(peer_.get(), &byte, 1), 0) << "EOF after the notice";
}

TEST_F(ConnectionTest, CutOffOfAClientThatStoppedReadingNeitherBlocksNorKeepsItsQueue) {
  const int small = 4096;
  ASSERT_EQ(::setsockopt(peer_.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
  ASSERT_EQ(::setsockopt(server_side_.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
  Connection& connection = open({});
  const SharedBytes message = SharedBytes::copy_of(std::string(1000, 'm'));
  for (int i = 0; i < 200; ++i) connection.deliver(message);
  events_.flush_requested();  // the kernel takes what fits; the rest stays queued
  ASSERT_GT(connection.queued_output_bytes(), 100'000U);
  connection.cut_off(CloseReason::OutputLimitExceeded, SharedBytes::copy_of("! not reading: disconnected\n"));
  EXPECT_EQ(connection.state(), Connection::State::Closed);
  EXPECT_EQ(message.use_count(), 1U) << "the unwritten queue is dropped";
}

}  // namespace
}  // namespace chatroom
