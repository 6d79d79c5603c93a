// The connection table's turn work with real connections over socketpairs: a budgeted read
// waits for the next turn, flushes go a slice at a time, oldest first, a round of one-line
// writes to a large room is followed by a rest, and closes during the destroy step are
// destroyed too.
#include "server/connection_table.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/line_session.hpp"
#include "support/socket_pair.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

class ConnectionTableTest : public ::testing::Test, protected ConnectionEvents {
 protected:
  // Adds a connection; its peer's end is kept in peers_ at the same index.
  Connection& add() {
    testing::SocketPair sockets = testing::make_socket_pair();
    peers_.push_back(std::move(sockets.peer));
    ConnectionEvents& events = *this;
    return *connections_.emplace_back(&table_.add(std::make_unique<Connection>(table_.next_id(), std::make_unique<PlainTransport>(std::move(sockets.ours)),
                                                   "peer", reactor_, events, limits_, scratch_, line_wording()),
                      reactor_.now(), ClientKind::Plain));
  }

  void on_line(Connection&, std::string_view line) override { lines_.emplace_back(line); }
  void on_line_too_long(Connection&) override {}
  void on_flush_needed(Connection& connection) override { table_.flush_soon(connection.id()); }
  void on_read_budget_exhausted(Connection& connection) override { table_.read_again_next_turn(connection.id()); }
  void on_closed(Connection& connection, CloseReason, std::string_view) override {
    table_.destroy_after_turn(connection.id(), "why");
  }

  // Delivers `line` to each connection; true when every peer then reads exactly it.
  void deliver_to_all(std::string_view bytes, std::uint32_t messages = 1) {
    for (const auto& entry : connections_) entry->deliver(SharedBytes::copy_of(bytes, messages));
  }
  [[nodiscard]] bool every_peer_read(std::string_view expected) const {
    for (const UniqueFd& peer : peers_) {
      if (testing::read_available(peer.get()) != expected) return false;
    }
    return true;
  }

  ManualClock clock_;
  Reactor reactor_{clock_};
  ServerLimits limits_;
  ScratchBuffers scratch_{1024};
  ConnectionTable table_{clock_, WritePacer(limits_.max_write_duty)};
  std::vector<UniqueFd> peers_;
  std::vector<Connection*> connections_;
  std::vector<std::string> lines_;
};

TEST_F(ConnectionTableTest, AReadCutShortByTheBudgetWaitsForTheNextTurn) {
  limits_.read_budget_bytes = 100;
  Connection& connection = add();
  const std::string line = std::string(49, 'x') + "\n";
  for (int i = 0; i < 4; ++i) ASSERT_EQ(::write(peers_[0].get(), line.data(), line.size()), 50);
  connection.read_within_budget();
  EXPECT_EQ(lines_.size(), 2U);
  EXPECT_TRUE(table_.has_pending_work());
  table_.continue_budgeted_reads();
  EXPECT_EQ(lines_.size(), 2U) << "it had this turn's budget already";
  table_.next_turn();
  table_.continue_budgeted_reads();
  EXPECT_EQ(lines_.size(), 4U);
}

TEST_F(ConnectionTableTest, FlushesGoASliceATurnOldestFirst) {
  const std::size_t slice = ConnectionTable::kConnectionsFlushedPerTurn;
  std::vector<Connection*> connections;
  for (std::size_t i = 0; i < slice + 10; ++i) connections.push_back(&add());
  for (Connection* connection : connections) connection->deliver(SharedBytes::copy_of("hi\n"));
  table_.flush_slice();
  EXPECT_EQ(testing::read_available(peers_.front().get()), "hi\n");
  EXPECT_EQ(testing::read_available(peers_[slice - 1].get()), "hi\n");
  EXPECT_EQ(testing::read_available(peers_[slice].get()), "") << "past the slice: next turn";
  EXPECT_TRUE(table_.has_pending_work());
  table_.flush_slice();
  EXPECT_EQ(testing::read_available(peers_[slice].get()), "hi\n");
  EXPECT_FALSE(table_.has_pending_work());
}

TEST_F(ConnectionTableTest, AfterARoundOfOneLineWritesToALargeRoomTheNextRoundWaitsForTheRest) {
  ASSERT_EQ(limits_.max_write_duty, 0.6);
  ConnectionTable& table = table_;
  for (std::size_t i = 0; i < WritePacer::kPacedFromWrites + 44; ++i) add();  // two slices
  deliver_to_all("a\n");
  table.flush_slice();
  clock_.advance(3ms);
  table.flush_slice();
  ASSERT_TRUE(every_peer_read("a\n"));
  const TimePoint round_ended = clock_.now();

  // 3 ms of one-line writes at a duty of 0.6: 2 ms of rest.
  deliver_to_all("b\n");
  EXPECT_FALSE(table.has_pending_work()) << "resting: the loop may sleep";
  EXPECT_EQ(table.flush_due(), round_ended + 2ms) << "but must wake when the rest ends";
  EXPECT_EQ(table.rests().count, 1U);
  EXPECT_EQ(table.rests().total, 2ms);
  clock_.advance(1999us);
  table.flush_slice();
  EXPECT_TRUE(every_peer_read("")) << "held back until the rest ends";
  std::string queued = "b\n";
  for (std::size_t i = 1; i < WritePacer::kBatchedMessagesPerWrite; ++i) {
    const std::string line = std::to_string(i) + "\n";
    deliver_to_all(line);
    queued += line;
  }
  clock_.advance(1us);
  EXPECT_TRUE(table.has_pending_work());
  table.flush_slice();
  clock_.advance(3ms);
  table.flush_slice();
  EXPECT_TRUE(every_peer_read(queued)) << "the lines that queued meanwhile leave in one write";

  // That round, as long, carried enough lines a write: the next one is not held back.
  deliver_to_all("d\n");
  EXPECT_TRUE(table.has_pending_work());
  EXPECT_EQ(table.flush_due(), std::nullopt);
  EXPECT_EQ(table.rests().count, 1U);
  table.flush_slice();
  table.flush_slice();
  EXPECT_TRUE(every_peer_read("d\n"));
}

// Lines said together (Broadcast) come as one chunk that says how many lines it carries: a
// round of such writes is batched already and is never held back.
TEST_F(ConnectionTableTest, ARoundOfChunksOfSeveralLinesEachIsNotHeldBack) {
  for (std::size_t i = 0; i < WritePacer::kPacedFromWrites + 44; ++i) add();
  const std::string lines = "1\n2\n3\n4\n";
  deliver_to_all(lines, WritePacer::kBatchedMessagesPerWrite);
  table_.flush_slice();
  clock_.advance(3ms);
  table_.flush_slice();
  ASSERT_TRUE(every_peer_read(lines));
  deliver_to_all("5\n");
  EXPECT_TRUE(table_.has_pending_work()) << "one write a peer, but four lines in it";
  EXPECT_EQ(table_.rests().count, 0U);
}

TEST_F(ConnectionTableTest, ConnectionsClosedWhileOthersAreDestroyedAreDestroyedToo) {
  Connection& first = add();
  Connection& second = add();
  const ConnectionId second_id = second.id();
  first.close(CloseReason::PeerClosed);
  std::vector<std::string> destroyed;
  table_.destroy_closed([&](ConnectionTable::Entry& entry, const std::string& why) {
    destroyed.push_back(std::to_string(entry.connection->id()) + " " + why);
    if (Connection* other = table_.find(second_id)) other->close(CloseReason::WriteFailed);
  });
  EXPECT_EQ(destroyed.size(), 2U);
  EXPECT_TRUE(table_.empty());
}

TEST_F(ConnectionTableTest, AnIdWaitingForAFlushOutlivesItsConnectionHarmlessly) {
  Connection& connection = add();
  connection.deliver(SharedBytes::copy_of("never sent\n"));
  connection.close(CloseReason::PeerClosed);
  table_.destroy_closed([](ConnectionTable::Entry&, const std::string&) {});
  table_.flush_slice();
  EXPECT_FALSE(table_.has_pending_work());
}

}  // namespace
}  // namespace chatroom
