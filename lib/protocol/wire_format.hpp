// Every line chatroomd writes, spelled in one place (docs/protocol.md describes them).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "buffer/shared_bytes.hpp"

namespace chatroom {

// The original chat room's leave and shutdown command. Sent by the server on shutdown as
// exactly these bytes, with no newline, because that is what the original client matches.
inline constexpr std::string_view kCloseCommand = "\\close";
inline constexpr std::string_view kWelcomePrefix = "connected to chat room at : ";
// The notice a password-protected server sends after its welcome (as "* " + this); the
// client answers it with "\pass PASSWORD".
inline constexpr std::string_view kPasswordNeededNotice = "this chat room needs a password: send \\pass PASSWORD";
// The sender name of lines typed on the daemon's console.
inline constexpr std::string_view kServerSenderName = "server";

[[nodiscard]] std::string welcome_line(std::string_view server_address);

// What the server tells a client about a limit, as text: each protocol's Wording frames it
// (the line protocol as "! TEXT\n").
[[nodiscard]] std::string line_too_long_notice(std::size_t limit_bytes);
[[nodiscard]] std::string line_timeout_notice(std::chrono::milliseconds timeout);
[[nodiscard]] std::string idle_timeout_notice(std::chrono::milliseconds timeout);
// To a client whose lines are being dropped by flood control, once per flood episode; the
// last words to a client cut off for flooding, or for not reading its output.
[[nodiscard]] std::string slow_down_notice(double rate_limit_lines_per_s, std::size_t burst_lines);
[[nodiscard]] std::string flooding_notice(std::size_t lines_dropped, double rate_limit_lines_per_s);
[[nodiscard]] std::string slow_consumer_notice(std::size_t queued_bytes);

// "* TEXT\n": news from the server (joins, nick changes, command replies). TEXT is trusted
// (built from names that passed the name rules), not sanitised.
[[nodiscard]] SharedBytes notice_line(std::string_view text);
// "! TEXT\n": this client's request failed or it tripped a limit.
[[nodiscard]] SharedBytes error_line(std::string_view text);
// A history replay of a line broadcast at `sent_at`: "[HH:MM:SS] " (UTC) before the live line,
// so it cannot be taken for a live one, which starts with "<" or "* ".
[[nodiscard]] SharedBytes history_line(std::chrono::system_clock::time_point sent_at, std::string_view live_line);

// "* SENDER ACTION\n" for "\me ACTION", ACTION sanitised; empty when ACTION is blank.
[[nodiscard]] SharedBytes encode_action_line(std::string_view sender, std::string_view action, std::string& scratch);
// A private message as its recipient sees it, "*SENDER*:\tTEXT\n", and as its sender's
// echo, "-> *RECIPIENT*:\tTEXT\n"; TEXT sanitised, empty when blank.
[[nodiscard]] SharedBytes encode_private_line(std::string_view sender, std::string_view text, std::string& scratch);
[[nodiscard]] SharedBytes encode_private_echo(std::string_view recipient, std::string_view text,
                                              std::string& scratch);

// Encodes "<SENDER>:\tTEXT\n" once, sanitising TEXT, into bytes every recipient shares; empty
// when TEXT is blank once sanitised (only control characters, say), since that says nothing.
// `scratch` is reused between calls so encoding does not allocate beyond the result.
[[nodiscard]] SharedBytes encode_chat_line(std::string_view sender, std::string_view text, std::string& scratch);

}  // namespace chatroom
