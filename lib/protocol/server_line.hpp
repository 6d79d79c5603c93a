// What a line from chatroomd means to a client (see docs/protocol.md, "Telling lines apart").
#pragma once

#include <cstddef>
#include <string_view>

namespace chatroom {

struct ServerLine {
  enum class Kind {
    Chat,         // "<SENDER>:\tTEXT"
    Private,      // "*SENDER*:\tTEXT": a private message to us
    PrivateEcho,  // "-> *RECIPIENT*:\tTEXT": our own private message, as sent
    Info,         // "* TEXT": a notice, a command's reply or an action
    Welcome,      // "connected to chat room at : HOST:PORT"
    Notice,       // "! ...": the server tells this client about a problem
    Close,        // "\close": the server is shutting down
    Other,        // anything else, shown as it is (sanitised)
  };
  Kind kind = Kind::Other;
  std::string_view sender;  // Chat, Private: who sent it; PrivateEcho: to whom
  std::string_view text;    // for Chat and private lines the message, otherwise the whole line
  std::string_view sent_at; // history replays only: "HH:MM:SS" (UTC); empty for live lines
};

// `line` excludes its newline. The views point into `line`.
[[nodiscard]] ServerLine parse_server_line(std::string_view line);

// The original chat server sends its welcome without a newline, so its first message can
// arrive glued to it: "connected to chat room at : HOST:PORT<SENDER>:\tTEXT". The length of
// the welcome if `line` is such a pair, else 0. (HOST:PORT never holds a "<".)
[[nodiscard]] std::size_t glued_welcome_length(std::string_view line);

}  // namespace chatroom
