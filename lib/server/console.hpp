// The daemon's console: admin commands read as lines from a descriptor (stdin). Does not own
// the descriptor, and leaves its blocking mode alone, because a terminal is shared with the
// shell that started us.
#pragma once

#include <string_view>

#include "protocol/command_line.hpp"
#include "protocol/line_framer.hpp"
#include "reactor/reactor.hpp"

namespace chatroom {

class ConsoleCommands {
 public:
  virtual void on_console_close() = 0;
  // A line that is not a command: broadcast it.
  virtual void on_console_text(std::string_view text) = 0;
  // Any backslash command but \close.
  virtual void on_console_command(const CommandLine& command) = 0;

 protected:
  ~ConsoleCommands() = default;
};

class Console final : private IoHandler, private LineSink {
 public:
  Console(Reactor& reactor, int fd, ConsoleCommands& commands, std::size_t max_line_bytes);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  [[nodiscard]] bool open() const { return watching_; }

 private:
  void handle_io(IoEvents events) override;
  FeedControl on_line(std::string_view line) override;
  FeedControl on_line_too_long() override;

  // Returns false at end of input.
  bool read_once();
  void stop_watching();

  Reactor& reactor_;
  int fd_;
  ConsoleCommands& commands_;
  LineFramer framer_;
  WatchId watch_;
  bool watching_ = false;
};

}  // namespace chatroom
