// Formatting of the lines chatroomd sends.
#include "protocol/wire_format.hpp"

#include <cstdio>
#include <ctime>

#include "protocol/line_kind.hpp"
#include "protocol/text_sanitizer.hpp"

namespace chatroom {

std::string welcome_line(std::string_view server_address) {
  std::string line(kWelcomePrefix);
  line.append(server_address);
  line.push_back('\n');
  return line;
}

std::string line_too_long_notice(std::size_t limit_bytes) {
  return "line too long (limit " + std::to_string(limit_bytes) + " bytes)";
}

namespace {

// "30", "0.5": seconds as a person would write them.
std::string seconds_text(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

}  // namespace

std::string line_timeout_notice(std::chrono::milliseconds timeout) {
  return "line timeout (no newline within " + seconds_text(timeout) + " s)";
}

std::string idle_timeout_notice(std::chrono::milliseconds timeout) {
  return "idle timeout (nothing received for " + seconds_text(timeout) + " s)";
}

namespace {

// BEFORE NAME AFTER, then TEXT sanitised, then "\n"; empty when TEXT is blank once sanitised.
SharedBytes encode_named_line(std::string& scratch, std::string_view before, std::string_view name,
                              std::string_view after, std::string_view text) {
  scratch.assign(before).append(name).append(after);
  const std::size_t text_start = scratch.size();
  append_sanitized(scratch, text);
  if (classify_line(std::string_view(scratch).substr(text_start)) == LineKind::Blank) return {};
  scratch.push_back('\n');
  return SharedBytes::copy_of(scratch);
}

// PREFIX TEXT "\n", TEXT trusted.
SharedBytes prefixed_line(std::string_view prefix, std::string_view text) {
  std::string line;
  line.reserve(prefix.size() + text.size() + 1);
  line.append(prefix).append(text).push_back('\n');
  return SharedBytes::copy_of(line);
}

}  // namespace

SharedBytes encode_chat_line(std::string_view sender, std::string_view text, std::string& scratch) {
  return encode_named_line(scratch, "<", sender, ">:\t", text);
}

SharedBytes encode_action_line(std::string_view sender, std::string_view action, std::string& scratch) {
  return encode_named_line(scratch, "* ", sender, " ", action);
}

SharedBytes encode_private_line(std::string_view sender, std::string_view text, std::string& scratch) {
  return encode_named_line(scratch, "*", sender, "*:\t", text);
}

SharedBytes encode_private_echo(std::string_view recipient, std::string_view text, std::string& scratch) {
  return encode_named_line(scratch, "-> *", recipient, "*:\t", text);
}

SharedBytes notice_line(std::string_view text) { return prefixed_line("* ", text); }

SharedBytes error_line(std::string_view text) { return prefixed_line("! ", text); }

std::string slow_down_notice(double rate_limit_lines_per_s, std::size_t burst_lines) {
  char text[96];
  std::snprintf(text, sizeof(text), "slow down: lines dropped (limit %g lines/s, bursts of %zu)", rate_limit_lines_per_s,
                burst_lines);
  return text;
}

std::string flooding_notice(std::size_t lines_dropped, double rate_limit_lines_per_s) {
  char text[96];
  std::snprintf(text, sizeof(text), "flooding: disconnected after %zu lines dropped (limit %g lines/s)", lines_dropped,
                rate_limit_lines_per_s);
  return text;
}

std::string slow_consumer_notice(std::size_t queued_bytes) {
  return "not reading: disconnected with " + std::to_string(queued_bytes) + " bytes unread";
}

SharedBytes history_line(std::chrono::system_clock::time_point sent_at, std::string_view live_line) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(sent_at);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char stamp[16];
  std::snprintf(stamp, sizeof(stamp), "[%02d:%02d:%02d] ", utc.tm_hour, utc.tm_min, utc.tm_sec);
  std::string line(stamp);
  line.append(live_line);
  return SharedBytes::copy_of(line);
}

}  // namespace chatroom
