// Where the client shows things: a terminal with a line editor, or a plain stream.
#pragma once

#include <string_view>

namespace chatroom {

struct DisplayLine {
  enum class Kind {
    Chat,         // a message from another client (or from the server's console)
    Private,      // a private message to us
    PrivateEcho,  // our private message, as the server delivered it; `sender` is the recipient
    Notice,       // from the client itself or the server: welcome, joins, replies, actions
    Error,        // something went wrong: "! line too long", "connection to server lost"
  };
  Kind kind = Kind::Notice;
  std::string_view sender;   // Chat and private lines only
  std::string_view text;     // untrusted: the display makes it harmless
  std::string_view sent_at = {};  // "HH:MM:SS" UTC for a history replay; empty for live lines
};

class ChatDisplay {
 public:
  virtual void show(const DisplayLine& line) = 0;
  // The room or nickname changed: a display with a prompt redraws it.
  virtual void session_changed() {}

 protected:
  ~ChatDisplay() = default;
};

}  // namespace chatroom
