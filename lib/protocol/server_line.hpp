// What a line from chatroomd means to a client (see docs/protocol.md).
#pragma once

#include <string_view>

namespace chatroom {

struct ServerLine {
  enum class Kind {
    Chat,     // "<SENDER>:\tTEXT"
    Welcome,  // "connected to chat room at : HOST:PORT"
    Notice,   // "! ...": the server tells this client about a problem
    Close,    // "\close": the server is shutting down
    Other,    // anything else, shown as it is (sanitised)
  };
  Kind kind = Kind::Other;
  std::string_view sender;  // Chat only; "server" for the console
  std::string_view text;    // for Chat the message, otherwise the whole line
};

// `line` excludes its newline. The views point into `line`.
[[nodiscard]] ServerLine parse_server_line(std::string_view line);

}  // namespace chatroom
