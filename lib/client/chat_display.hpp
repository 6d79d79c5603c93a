// Where the client shows things: a terminal with a line editor, or a plain stream.
#pragma once

#include <string_view>

namespace chatroom {

struct DisplayLine {
  enum class Kind {
    Chat,    // a message from another client (or from the server's console)
    Notice,  // from the client itself or the server: welcome, "server closed the chat room"
    Error,   // something went wrong: "! line too long", "connection to server lost"
  };
  Kind kind = Kind::Notice;
  std::string_view sender;  // Chat only
  std::string_view text;    // untrusted for Chat: the display makes it harmless
};

class ChatDisplay {
 public:
  virtual void show(const DisplayLine& line) = 0;

 protected:
  ~ChatDisplay() = default;
};

}  // namespace chatroom
