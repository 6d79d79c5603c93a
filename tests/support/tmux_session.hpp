// A program on a real terminal for tests: a tmux server of our own (its own socket) runs it in
// one window, types into it and reads back the screen, so what is asserted is what a person
// would see.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace chatroom::testing {

// `text` as one word for sh: in single quotes, any single quote in it escaped.
[[nodiscard]] std::string shell_quote(const std::string& text);
// Runs `command` with sh and returns what it wrote to stdout.
std::string run_shell(const std::string& command);

class TmuxSession {
 public:
  // A `width`x`height` window running `command`.
  explicit TmuxSession(const std::string& command, int width = 100, int height = 20);
  ~TmuxSession();
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  // Types `keys` literally; press() sends a key by its tmux name ("Enter", "C-c").
  void type(const std::string& keys) const;
  void press(const std::string& key) const;
  // The visible lines, without trailing blank ones.
  [[nodiscard]] std::vector<std::string> screen() const;
  bool wait_for_screen(const std::string& text, std::chrono::milliseconds timeout) const;
  // The pane's title, which an escape sequence reaching the terminal raw could change.
  [[nodiscard]] std::string title() const;
  // The screen, each line between "|" and a newline, for failure messages.
  [[nodiscard]] std::string dump() const;

 private:
  [[nodiscard]] std::string tmux() const { return "tmux -L " + socket_ + " -f /dev/null"; }
  static inline int counter_ = 0;
  std::string socket_;
};

}  // namespace chatroom::testing
