// What the person (or the script) at the client's input says, and how to make them wait.
#pragma once

#include <string_view>

namespace chatroom {

class UserInputEvents {
 public:
  virtual void on_user_line(std::string_view line) = 0;
  // End of input: Ctrl-D on a terminal, the end of a pipe or file.
  virtual void on_user_end() = 0;

 protected:
  ~UserInputEvents() = default;
};

class UserInput {
 public:
  virtual ~UserInput() = default;
  // Stops delivering lines until resume(): backpressure while the socket is slow.
  virtual void pause() = 0;
  virtual void resume() = 0;
};

}  // namespace chatroom
