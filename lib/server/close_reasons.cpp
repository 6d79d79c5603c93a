// The close-reason table, and the log lines and WebSocket farewells made from it.
#include "server/close_reasons.hpp"

#include <spdlog/fmt/fmt.h>

#include <array>

namespace chatroom {
namespace {

using Level = spdlog::level::level_enum;
constexpr std::string_view kSlowConsumer = "cut off: not reading";
constexpr std::string_view kConnectionLost = "connection lost";

// In CloseReason's order (checked below).
constexpr std::array<CloseReasonRow, kCloseReasonCount> kRows{{
    {CloseReason::ClientLeft, "left with \\close", "left with \\close", Level::debug, false, "", 1000, nullptr},
    {CloseReason::PeerClosed, "closed the connection", "closed the connection", Level::debug, false, "", 1000,
     nullptr},
    {CloseReason::ReadFailed, "read failed", "read failed", Level::debug, false, kConnectionLost, 1011, nullptr},
    {CloseReason::WriteFailed, "write failed", "write failed", Level::debug, false, kConnectionLost, 1011, nullptr},
    {CloseReason::OutputLimitExceeded, "cut off as a slow consumer",
     "cut off: slow consumer: {queued} bytes queued, limit is {max_output} bytes (--max-output)", Level::warn, false,
     kSlowConsumer, 1008, &ServerStats::slow_consumers_cut_off},
    {CloseReason::SoftOutputLimitExceeded, "cut off as a slow consumer (soft limit)",
     "cut off: slow consumer: {queued} bytes queued, above {soft_max_output} bytes for {soft_period_ms} ms "
     "(--soft-max-output)",
     Level::warn, false, kSlowConsumer, 1008, &ServerStats::slow_consumers_cut_off},
    {CloseReason::TotalOutputLimitExceeded, "cut off as a slow consumer (total output limit)",
     "cut off: slow consumer: {queued} bytes queued, the largest backlog when all clients' output reached "
     "{total_output} bytes, limit is {max_total_output} bytes (--max-total-output)",
     Level::warn, false, kSlowConsumer, 1008, &ServerStats::slow_consumers_cut_off},
    {CloseReason::LineTimeout, "cut off: no newline within the line timeout",
     "cut off: no newline within {line_timeout_ms} ms (--line-timeout)", Level::warn, false, "cut off: line timeout",
     1008, &ServerStats::line_timeouts},
    {CloseReason::IdleTimeout, "cut off: idle", "cut off: nothing received for {idle_timeout_ms} ms (--idle-timeout)",
     Level::info, false, "cut off: idle", 1001, &ServerStats::idle_timeouts},
    {CloseReason::Flooding, "cut off for flooding",
     "cut off for flooding: {flood_disconnect} lines dropped over {rate_limit} lines/s (--flood-disconnect, "
     "--rate-limit)",
     Level::warn, false, "cut off: flooding", 1008, &ServerStats::flooders_cut_off},
    {CloseReason::Kicked, "kicked", "({name}) {detail}", Level::info, false, "kicked", 1008, &ServerStats::kicked},
    {CloseReason::ServerShutdown, "closed by shutdown", "closed by shutdown", Level::debug, false, "", 1001, nullptr},
    {CloseReason::ShutdownTimedOut, "closed when the shutdown deadline passed",
     "closed with {queued} bytes unsent: the shutdown deadline passed", Level::warn, false, "", 1001, nullptr},
    {CloseReason::TlsOnPlainPort, "dropped: spoke TLS to the plain port", "dropped: it spoke TLS to the plain port",
     Level::warn, true, "", 1002, &ServerStats::tls_on_plain_port},
    {CloseReason::BrokeTls, "closed: broke the TLS protocol", "closed: it broke the TLS protocol", Level::warn, true,
     "", 1002, &ServerStats::tls_protocol_errors},
    {CloseReason::BrokeWebSocket, "closed: broke the WebSocket protocol",
     "closed: it broke the WebSocket protocol", Level::warn, true, "", 1002, &ServerStats::websocket_protocol_errors},
    {CloseReason::NoPong, "cut off: answered no WebSocket ping",
     "cut off: it answered no ping within {keepalive_ms} ms (--ws-ping-interval)", Level::info, false, kConnectionLost, 1001,
     &ServerStats::websocket_ping_timeouts},
    {CloseReason::WrongPassword, "closed: wrong password", "closed: wrong password", Level::debug, false, "", 1008,
     nullptr},
}};

constexpr bool rows_in_order() {
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    if (static_cast<std::size_t>(kRows[i].reason) != i) return false;
  }
  return true;
}
static_assert(rows_in_order(), "one row per CloseReason, in the enum's order");

}  // namespace

const CloseReasonRow& close_reason_row(CloseReason reason) { return kRows.at(static_cast<std::size_t>(reason)); }

std::string close_log_line(const CloseReasonRow& row, const CloseFacts& facts) {
  return fmt::format(fmt::runtime(row.log_text), fmt::arg("address", facts.address), fmt::arg("name", facts.name),
                     fmt::arg("detail", facts.detail), fmt::arg("queued", facts.queued),
                     fmt::arg("max_output", facts.max_output), fmt::arg("soft_max_output", facts.soft_max_output),
                     fmt::arg("soft_period_ms", facts.soft_period_ms), fmt::arg("total_output", facts.total_output),
                     fmt::arg("max_total_output", facts.max_total_output),
                     fmt::arg("line_timeout_ms", facts.line_timeout_ms),
                     fmt::arg("idle_timeout_ms", facts.idle_timeout_ms),
                     fmt::arg("flood_disconnect", facts.flood_disconnect), fmt::arg("rate_limit", facts.rate_limit),
                     fmt::arg("keepalive_ms", facts.keepalive_ms));
}

Farewell farewell_for(CloseReason reason, std::string_view notice) {
  const CloseReasonRow& row = close_reason_row(reason);
  if (notice.starts_with("! ")) notice.remove_prefix(2);
  while (!notice.empty() && (notice.back() == '\n' || notice.back() == '\r')) notice.remove_suffix(1);
  return Farewell{row.websocket_code, notice.empty() ? row.description : notice};
}

}  // namespace chatroom
