// Recognising the kinds of lines chatroomd sends.
#include "protocol/server_line.hpp"

#include "protocol/wire_format.hpp"

namespace chatroom {

ServerLine parse_server_line(std::string_view line) {
  ServerLine parsed;
  parsed.text = line;
  if (line == kCloseCommand) {
    parsed.kind = ServerLine::Kind::Close;
  } else if (line.rfind(kWelcomePrefix, 0) == 0) {
    parsed.kind = ServerLine::Kind::Welcome;
  } else if (line.rfind("! ", 0) == 0) {
    parsed.kind = ServerLine::Kind::Notice;
    parsed.text = line.substr(2);
  } else if (const std::size_t end = line.find(">:\t"); !line.empty() && line.front() == '<' && end != std::string_view::npos) {
    parsed.kind = ServerLine::Kind::Chat;
    parsed.sender = line.substr(1, end - 1);
    parsed.text = line.substr(end + 3);
  }
  return parsed;
}

}  // namespace chatroom
