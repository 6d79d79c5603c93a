// The server's Connection: a stream that is a chat member, and what it tells a client it cuts
// off, in the line protocol, for each reason.
#include "server/connection.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "server/line_session.hpp"
#include "support/socket_pair.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

struct RecordingEvents final : ConnectionEvents {
  std::optional<CloseReason> closed;
  std::string detail;
  void on_line(Connection&, std::string_view) override {}
  void on_line_too_long(Connection&) override {}
  void on_flush_needed(Connection&) override {}
  void on_read_budget_exhausted(Connection&) override {}
  void on_closed(Connection&, CloseReason reason, std::string_view words) override {
    closed = reason;
    detail = words;
  }
};

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::SocketPair sockets = testing::make_socket_pair();
    peer_ = std::move(sockets.peer);
    limits_.line_timeout = std::chrono::milliseconds(1500);
    limits_.idle_timeout = std::chrono::milliseconds(60'000);
    limits_.rate_limit_lines_per_s = 5;
    connection_.emplace(7, std::make_unique<PlainTransport>(std::move(sockets.ours)), "10.0.0.1:4000", reactor_, events_,
                        limits_, scratch_, line_wording());
  }

  std::string peer_reads_available() { return testing::read_available(peer_.get()); }

  SteadyClock clock_;
  Reactor reactor_{clock_};
  RecordingEvents events_;
  ServerLimits limits_;
  ScratchBuffers scratch_{4096};
  UniqueFd peer_;
  std::optional<Connection> connection_;
};

TEST_F(ConnectionTest, AKickTellsTheClientItsWordsAndHandsThemToTheOwner) {
  connection_->cut_off(CloseReason::Kicked, "kicked: spamming");
  EXPECT_EQ(peer_reads_available(), "! kicked: spamming (by the server)\n");
  EXPECT_EQ(events_.closed, CloseReason::Kicked);
  EXPECT_EQ(events_.detail, "kicked: spamming") << "what the room is told";
  EXPECT_TRUE(connection_->gone()) << "nothing is addressed to a closed member";
}

TEST_F(ConnectionTest, EachLimitIsExplainedInTheLineProtocol) {
  connection_->cut_off(CloseReason::LineTimeout);
  EXPECT_EQ(peer_reads_available(), "! line timeout (no newline within 1.5 s)\n");
  EXPECT_EQ(events_.closed, CloseReason::LineTimeout);
}

TEST_F(ConnectionTest, ASlowConsumerIsToldHowMuchItLeftUnread) {
  connection_->deliver(SharedBytes::copy_of(std::string(100, 'x')));
  connection_->cut_off(CloseReason::OutputLimitExceeded);
  const std::string received = peer_reads_available();
  EXPECT_EQ(received.substr(0, 100), std::string(100, 'x'));
  EXPECT_EQ(received.substr(100), "! not reading: disconnected with 100 bytes unread\n");
}

TEST_F(ConnectionTest, AReasonWithNothingToSayClosesWithoutANotice) {
  connection_->cut_off(CloseReason::BrokeTls);
  EXPECT_EQ(peer_reads_available(), "");
  EXPECT_EQ(events_.closed, CloseReason::BrokeTls);
}

}  // namespace
}  // namespace chatroom
