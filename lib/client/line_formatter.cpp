// Colours are plain SGR codes, chosen by a hash of the sender's name so a person keeps their
// colour for the whole session and across sessions.
#include "client/line_formatter.hpp"

#include <array>
#include <string_view>

#include "protocol/text_sanitizer.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::array<std::string_view, 6> kSenderColors = {
    "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[34m", "\x1b[35m", "\x1b[36m",
};
constexpr std::string_view kNoticeStyle = "\x1b[2m";     // dim
constexpr std::string_view kErrorStyle = "\x1b[1;31m";   // bold red
constexpr std::string_view kPrivateStyle = "\x1b[1;35m";  // bold magenta

std::string_view color_of(std::string_view sender) {
  std::uint32_t hash = 2166136261U;  // FNV-1a: stable across runs, unlike std::hash
  for (const char c : sender) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
  return kSenderColors[hash % kSenderColors.size()];
}

}  // namespace

std::string LineFormatter::format(const DisplayLine& line) const {
  std::string out;
  if (!line.sent_at.empty()) {
    // History: always stamped, with the server's time (UTC), and dimmed, so it cannot be
    // mistaken for what is said now.
    if (options_.color) out += kNoticeStyle;
    out += '[';
    append_visible(out, line.sent_at);
    out += " UTC] ";
    if (options_.color) out += kReset;
  } else if (options_.timestamps) {
    const std::time_t now = now_();
    std::tm local{};
    ::localtime_r(&now, &local);
    char stamp[16];
    std::strftime(stamp, sizeof(stamp), "[%H:%M:%S] ", &local);
    out += stamp;
  }
  switch (line.kind) {
    case DisplayLine::Kind::Chat:
      if (options_.color) out += color_of(line.sender);
      append_visible(out, line.sender);
      out += ':';
      if (options_.color) out += kReset;
      out += '\t';
      append_visible(out, line.text);
      break;
    case DisplayLine::Kind::Private:
    case DisplayLine::Kind::PrivateEcho:
      if (options_.color) out += kPrivateStyle;
      if (line.kind == DisplayLine::Kind::PrivateEcho) out += "-> ";
      out += '*';
      append_visible(out, line.sender);
      out += "*:";
      if (options_.color) out += kReset;
      out += '\t';
      append_visible(out, line.text);
      break;
    case DisplayLine::Kind::Notice:
    case DisplayLine::Kind::Error:
      if (options_.color) out += line.kind == DisplayLine::Kind::Error ? kErrorStyle : kNoticeStyle;
      out += line.kind == DisplayLine::Kind::Error ? "! " : "* ";
      append_visible(out, line.text);
      if (options_.color) out += kReset;
      break;
  }
  out += '\n';
  return out;
}

}  // namespace chatroom
