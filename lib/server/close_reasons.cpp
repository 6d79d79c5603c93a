// The close-reason table, and the log lines and WebSocket farewells made from it.
#include "server/close_reasons.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <string>
#include <utility>

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
    {CloseReason::NoIrcPong, "cut off: answered no IRC PING",
     "cut off: it answered no PING within {detail} (--irc-ping-interval)", Level::info, false, kConnectionLost, 1001,
     &ServerStats::irc_ping_timeouts},
    {CloseReason::RegistrationTimeout, "closed: did not register",
     "closed: it did not finish IRC registration within {detail} (--irc-registration-timeout)", Level::info, false, "",
     1008, &ServerStats::irc_registration_timeouts},
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
  // Each {name} of the text replaced by its fact. A plain substitution, not fmt's runtime
  // named arguments: nothing to throw at run time, and the table is checked by a unit test.
  const auto number = [](double value) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g", value);
    return std::string(text);
  };
  const std::pair<std::string_view, std::string> fields[] = {
      {"address", std::string(facts.address)},
      {"name", std::string(facts.name)},
      {"detail", std::string(facts.detail)},
      {"queued", std::to_string(facts.queued)},
      {"max_output", std::to_string(facts.max_output)},
      {"soft_max_output", std::to_string(facts.soft_max_output)},
      {"soft_period_ms", std::to_string(facts.soft_period_ms)},
      {"total_output", std::to_string(facts.total_output)},
      {"max_total_output", std::to_string(facts.max_total_output)},
      {"line_timeout_ms", std::to_string(facts.line_timeout_ms)},
      {"idle_timeout_ms", std::to_string(facts.idle_timeout_ms)},
      {"flood_disconnect", std::to_string(facts.flood_disconnect)},
      {"rate_limit", number(facts.rate_limit)},
      {"keepalive_ms", std::to_string(facts.keepalive_ms)},
  };
  std::string line;
  std::string_view rest = row.log_text;
  while (!rest.empty()) {
    const std::size_t open = rest.find('{');
    const std::size_t close = open == std::string_view::npos ? open : rest.find('}', open);
    if (close == std::string_view::npos) break;
    line.append(rest.substr(0, open));
    const std::string_view name = rest.substr(open + 1, close - open - 1);
    const auto* field = std::find_if(std::begin(fields), std::end(fields),
                                     [&](const auto& each) { return each.first == name; });
    if (field != std::end(fields)) {
      line.append(field->second);
    } else {  // an unknown name stays as written (a unit test keeps the table free of them)
      line.push_back('{');
      line.append(name);
      line.push_back('}');
    }
    rest.remove_prefix(close + 1);
  }
  line.append(rest);
  return line;
}

Farewell farewell_for(CloseReason reason, std::string_view notice) {
  const CloseReasonRow& row = close_reason_row(reason);
  if (notice.starts_with("! ")) notice.remove_prefix(2);
  while (!notice.empty() && (notice.back() == '\n' || notice.back() == '\r')) notice.remove_suffix(1);
  return Farewell{row.websocket_code, notice.empty() ? row.description : notice};
}

}  // namespace chatroom
