// libedit glue. The order in show() matters: erase the prompt line, print the message on its
// own line, then have libedit redraw the prompt and the partial input.
#include "client/editline_terminal.hpp"

#include <editline/readline.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace chatroom {
namespace {

EditlineTerminal* active_terminal = nullptr;
UserInputEvents* active_events = nullptr;

void write_all(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

EditlineTerminal::EditlineTerminal(Reactor& reactor, LineFormatter formatter, std::string prompt)
    : reactor_(reactor), formatter_(std::move(formatter)), prompt_(std::move(prompt)) {}

void EditlineTerminal::start(UserInputEvents& events) {
  if (started_) return;
  started_ = true;
  active_terminal = this;
  active_events = &events;
  ::using_history();
  ::rl_callback_handler_install(prompt_.c_str(), &EditlineTerminal::on_line_entered);
  watch_ = reactor_.watch(STDIN_FILENO, WatchMode::LevelTriggeredRead, *this);
  reading_ = true;
}

EditlineTerminal::~EditlineTerminal() {
  stop_reading();
  active_terminal = nullptr;
  active_events = nullptr;
}

void EditlineTerminal::stop_reading() {
  if (reading_) {
    reactor_.unwatch(watch_);
    reading_ = false;
  }
  if (started_ && !ended_) {
    ended_ = true;
    ::rl_callback_handler_remove();
    write_all("\r\x1b[K");
  }
}

void EditlineTerminal::on_line_entered(char* line) {
  if (active_terminal == nullptr) {
    std::free(line);
    return;
  }
  if (line == nullptr) {  // Ctrl-D on an empty line
    active_terminal->stop_reading();
    active_events->on_user_end();
    return;
  }
  if (*line != '\0') ::add_history(line);
  const std::string text(line);
  std::free(line);
  active_events->on_user_line(text);
}

void EditlineTerminal::handle_io(IoEvents) { ::rl_callback_read_char(); }

void EditlineTerminal::show(const DisplayLine& line) {
  const std::string text = formatter_.format(line);
  if (!started_ || ended_) {
    write_all(text);
    return;
  }
  write_all("\r\x1b[K" + text);
  ::rl_forced_update_display();
}

void EditlineTerminal::pause() {
  if (!reading_) return;
  reactor_.unwatch(watch_);
  reading_ = false;
}

void EditlineTerminal::resume() {
  if (reading_ || ended_) return;
  watch_ = reactor_.watch(STDIN_FILENO, WatchMode::LevelTriggeredRead, *this);
  reading_ = true;
}

}  // namespace chatroom
