// What the server does when a connection ends, one row per reason, in one table: what it
// logs and how loudly, what the room is told, the WebSocket close code, and which counter
// counts it. Adding a reason is adding a row; nothing else branches on reasons.
#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <string_view>

#include "server/server_stats.hpp"
#include "transport/close_reason.hpp"
#include "transport/transport.hpp"

namespace chatroom {

struct CloseReasonRow {
  CloseReason reason;
  // A few words; what a WebSocket close frame says when the client was told nothing else.
  std::string_view description;
  // After "client ADDRESS ", with the named fields of CloseFacts in braces.
  std::string_view log_text;
  spdlog::level::level_enum log_level;
  // Faults that scanners and broken clients make in bursts: logged at most once a second,
  // with how many were not.
  bool log_throttled;
  // What the room hears after "* NAME left"; empty for a plain leave. A close given words of
  // its own (a kick's) is told those instead.
  std::string_view room_text;
  // RFC 6455 section 7.4.1: 1000 normal, 1001 going away, 1002 protocol error, 1008 policy
  // violation (any of our limits), 1011 an error on our side.
  std::uint16_t websocket_code;
  // The ServerStats counter it adds one to; null for the ordinary ends.
  std::uint64_t ServerStats::*counter;
};

[[nodiscard]] const CloseReasonRow& close_reason_row(CloseReason reason);

// What a log line about a close may name: `{address}`, `{name}` (the nickname, else the
// address), `{detail}` (the words given to close, a kick's), `{queued}` (bytes queued for the
// client), and the limits in force.
struct CloseFacts {
  std::string_view address;
  std::string_view name;
  std::string_view detail;
  std::size_t queued = 0;
  std::size_t max_output = 0;
  std::size_t soft_max_output = 0;
  std::int64_t soft_period_ms = 0;
  std::size_t total_output = 0;
  std::size_t max_total_output = 0;
  std::int64_t line_timeout_ms = 0;
  std::int64_t idle_timeout_ms = 0;
  std::size_t flood_disconnect = 0;
  double rate_limit = 0;
  std::int64_t keepalive_ms = 0;
};

// The row's log text with `facts` filled in, after "client ADDRESS ".
[[nodiscard]] std::string close_log_line(const CloseReasonRow& row, const CloseFacts& facts);

// The close code and reason a WebSocket client is given: `notice`, the line the client was
// sent about it, if any ("! kicked: spam (by the server)"), else the row's description.
[[nodiscard]] Farewell farewell_for(CloseReason reason, std::string_view notice);

}  // namespace chatroom
