// Shows lines by writing them to a descriptor: for output that is not a terminal (a pipe,
// a file) and for tests. Does not own the descriptor.
#pragma once

#include "client/chat_display.hpp"
#include "client/line_formatter.hpp"

namespace chatroom {

class StreamDisplay final : public ChatDisplay {
 public:
  StreamDisplay(int fd, LineFormatter formatter) : fd_(fd), formatter_(std::move(formatter)) {}
  void show(const DisplayLine& line) override;

 private:
  int fd_;
  LineFormatter formatter_;
};

}  // namespace chatroom
