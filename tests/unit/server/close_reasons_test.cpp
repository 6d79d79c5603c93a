// The close-reason table: a row for every reason, counted where /metrics and \stats look,
// told to the room and to a WebSocket client as documented.
#include "server/close_reasons.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace chatroom {
namespace {

CloseFacts some_facts() {
  CloseFacts facts;
  facts.address = "10.0.0.1:4000";
  facts.name = "alice";
  facts.detail = "kicked: spam";
  facts.queued = 123;
  return facts;
}

TEST(CloseReasons, EveryReasonHasARowWhoseLogTextNamesOnlyKnownFacts) {
  for (std::size_t i = 0; i < kCloseReasonCount; ++i) {
    const auto reason = static_cast<CloseReason>(i);
    const CloseReasonRow& row = close_reason_row(reason);
    EXPECT_EQ(row.reason, reason);
    EXPECT_FALSE(row.description.empty()) << i;
    const std::string line = close_log_line(row, some_facts());
    EXPECT_EQ(line.find('{'), std::string::npos) << "an unknown fact in: " << row.log_text;
  }
}

TEST(CloseReasons, FactsAreFilledInWhereTheTextNamesThem) {
  CloseFacts facts = some_facts();
  facts.flood_disconnect = 400;
  facts.rate_limit = 2.5;
  EXPECT_EQ(close_log_line(close_reason_row(CloseReason::Flooding), facts),
            "cut off for flooding: 400 lines dropped over 2.5 lines/s (--flood-disconnect, --rate-limit)");
}

TEST(CloseReasons, ATlsProtocolErrorIsCountedAsTlsAndAWebSocketOneAsWebSocket) {
  EXPECT_EQ(close_reason_row(CloseReason::BrokeTls).counter, &ServerStats::tls_protocol_errors);
  EXPECT_EQ(close_reason_row(CloseReason::BrokeWebSocket).counter, &ServerStats::websocket_protocol_errors);
  EXPECT_EQ(close_reason_row(CloseReason::TlsOnPlainPort).counter, &ServerStats::tls_on_plain_port);
  EXPECT_EQ(close_reason_for(IoFailure::BrokeTls, true), CloseReason::BrokeTls);
  EXPECT_EQ(close_reason_for(IoFailure::BrokeWebSocket, true), CloseReason::BrokeWebSocket);
  EXPECT_EQ(close_reason_for(IoFailure::System, true), CloseReason::ReadFailed);
  EXPECT_EQ(close_reason_for(IoFailure::System, false), CloseReason::WriteFailed);
}

TEST(CloseReasons, EveryCounterIsOneOfTheServersAndOnlyTheSlowConsumersShareOne) {
  std::vector<std::uint64_t ServerStats::*> seen;
  for (std::size_t i = 0; i < kCloseReasonCount; ++i) {
    const CloseReasonRow& row = close_reason_row(static_cast<CloseReason>(i));
    if (row.counter == nullptr) continue;
    const bool slow_consumer = row.counter == &ServerStats::slow_consumers_cut_off;
    const bool new_counter = std::find(seen.begin(), seen.end(), row.counter) == seen.end();
    EXPECT_TRUE(new_counter || slow_consumer) << row.description << " shares a counter";
    seen.push_back(row.counter);
  }
}

TEST(CloseReasons, TheRoomHearsWhyForCutOffsAndNothingForAnOrdinaryLeave) {
  EXPECT_EQ(close_reason_row(CloseReason::ClientLeft).room_text, "");
  EXPECT_EQ(close_reason_row(CloseReason::PeerClosed).room_text, "");
  EXPECT_EQ(close_reason_row(CloseReason::ReadFailed).room_text, "connection lost");
  EXPECT_EQ(close_reason_row(CloseReason::SoftOutputLimitExceeded).room_text, "cut off: not reading");
  EXPECT_EQ(close_reason_row(CloseReason::LineTimeout).room_text, "cut off: line timeout");
  EXPECT_EQ(close_reason_row(CloseReason::Flooding).room_text, "cut off: flooding");
}

TEST(CloseReasons, AKickIsLoggedWithTheMembersNameAndTheWordsGiven) {
  EXPECT_EQ(close_log_line(close_reason_row(CloseReason::Kicked), some_facts()), "(alice) kicked: spam");
  const std::string slow = close_log_line(close_reason_row(CloseReason::OutputLimitExceeded), some_facts());
  EXPECT_NE(slow.find("cut off: slow consumer: 123 bytes queued"), std::string::npos) << slow;
}

TEST(CloseReasons, AWebSocketFarewellCarriesTheNoticeWithoutItsMarksElseTheDescription) {
  const Farewell kicked = farewell_for(CloseReason::Kicked, "! kicked: spam (by the server)\n");
  EXPECT_EQ(kicked.code, 1008);
  EXPECT_EQ(kicked.reason, "kicked: spam (by the server)");
  const Farewell shutdown = farewell_for(CloseReason::ServerShutdown, "");
  EXPECT_EQ(shutdown.code, 1001);
  EXPECT_EQ(shutdown.reason, "closed by shutdown");
  EXPECT_EQ(farewell_for(CloseReason::ClientLeft, "").code, 1000);
  EXPECT_EQ(farewell_for(CloseReason::BrokeWebSocket, "").code, 1002);
  EXPECT_EQ(farewell_for(CloseReason::WriteFailed, "").code, 1011);
}

}  // namespace
}  // namespace chatroom
