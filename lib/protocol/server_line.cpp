// Recognising the kinds of lines chatroomd sends.
#include "protocol/server_line.hpp"

#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "[HH:MM:SS] ": the mark of a history replay.
bool starts_with_history_stamp(std::string_view line) {
  if (line.size() < 11 || line[0] != '[' || line[9] != ']' || line[10] != ' ') return false;
  for (const std::size_t i : {1u, 2u, 4u, 5u, 7u, 8u}) {
    if (!is_digit(line[i])) return false;
  }
  return line[3] == ':' && line[6] == ':';
}

// "<SENDER>:\tTEXT" or "*SENDER*:\tTEXT": the sender between `open` and `close`.
bool split_message(std::string_view line, char open, char close, ServerLine& parsed) {
  if (line.empty() || line.front() != open) return false;
  const char separator[] = {close, ':', '\t', '\0'};
  const std::size_t end = line.find(separator, 1);
  if (end == std::string_view::npos || end == 1) return false;
  parsed.sender = line.substr(1, end - 1);
  parsed.text = line.substr(end + 3);
  return true;
}

}  // namespace

ServerLine parse_server_line(std::string_view line) {
  ServerLine parsed;
  parsed.text = line;
  if (starts_with_history_stamp(line)) {
    parsed = parse_server_line(line.substr(11));
    parsed.sent_at = line.substr(1, 8);
    return parsed;
  }
  if (line == kCloseCommand) {
    parsed.kind = ServerLine::Kind::Close;
  } else if (line.rfind(kWelcomePrefix, 0) == 0) {
    parsed.kind = ServerLine::Kind::Welcome;
  } else if (line.rfind("! ", 0) == 0) {
    parsed.kind = ServerLine::Kind::Notice;
    parsed.text = line.substr(2);
  } else if (line.rfind("* ", 0) == 0) {
    parsed.kind = ServerLine::Kind::Info;
    parsed.text = line.substr(2);
  } else if (line.rfind("-> ", 0) == 0 && split_message(line.substr(3), '*', '*', parsed)) {
    parsed.kind = ServerLine::Kind::PrivateEcho;
  } else if (split_message(line, '*', '*', parsed)) {
    parsed.kind = ServerLine::Kind::Private;
  } else if (split_message(line, '<', '>', parsed)) {
    parsed.kind = ServerLine::Kind::Chat;
  }
  return parsed;
}

std::size_t glued_welcome_length(std::string_view line) {
  if (!line.starts_with(kWelcomePrefix)) return 0;
  const std::size_t message = line.find('<', kWelcomePrefix.size());
  if (message == std::string_view::npos || parse_server_line(line.substr(message)).kind != ServerLine::Kind::Chat) {
    return 0;
  }
  return message;
}

}  // namespace chatroom
