// libedit glue. The order in show() matters: erase the prompt line, print the message on its
// own line, then have libedit redraw the prompt and the partial input.
#include "client/editline_terminal.hpp"

#include <termios.h>
#include <unistd.h>

#include <editline/readline.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

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
  ::rl_attempted_completion_function = &EditlineTerminal::complete;
  // Words are separated by blanks only: the backslash of a command is part of its word.
  static char word_breaks[] = " \t";
  ::rl_basic_word_break_characters = word_breaks;
  ::rl_completer_word_break_characters = word_breaks;
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
  // libedit's callback interface switches to buffered reading before calling us, and would
  // then block in the next read until a whole line came (no completion, no messages shown).
  // Installing the handler again restores character-at-a-time reading and a fresh line.
  EditlineTerminal& terminal = *active_terminal;
  ::rl_callback_handler_install(terminal.prompt_.c_str(), &EditlineTerminal::on_line_entered);
  active_events->on_user_line(text);
}

void EditlineTerminal::handle_io(IoEvents) { ::rl_callback_read_char(); }

void EditlineTerminal::follow(const ClientSession& session) {
  session_ = &session;
  session_changed();
}

void EditlineTerminal::session_changed() {
  if (session_ == nullptr) return;
  prompt_ = session_->prompt();
  if (!started_ || ended_) return;
  ::rl_set_prompt(prompt_.c_str());
  write_all("\r\x1b[K");
  ::rl_forced_update_display();
}

char** EditlineTerminal::complete(const char* word, int start, int) {
  ::rl_attempted_completion_over = 1;  // never fall back to completing file names
  if (active_terminal == nullptr || active_terminal->session_ == nullptr) return nullptr;
  const std::vector<std::string> matches = active_terminal->session_->complete(word, start == 0);
  if (matches.empty()) return nullptr;
  // readline's convention: a malloc'd, null-terminated array whose first entry is the common
  // prefix that replaces the word, then the matches.
  std::string common = matches.front();
  for (const std::string& match : matches) {
    std::size_t same = 0;
    while (same < common.size() && same < match.size() && common[same] == match[same]) ++same;
    common.resize(same);
  }
  auto** array = static_cast<char**>(std::calloc(matches.size() + 2, sizeof(char*)));
  if (array == nullptr) return nullptr;
  array[0] = ::strdup(matches.size() == 1 ? matches.front().c_str() : common.c_str());
  if (matches.size() > 1) {
    for (std::size_t i = 0; i < matches.size(); ++i) array[i + 1] = ::strdup(matches[i].c_str());
  }
  return array;
}

void EditlineTerminal::show(const DisplayLine& line) {
  const std::string text = formatter_.format(line);
  if (!started_ || ended_) {
    write_all(text);
    return;
  }
  write_all("\r\x1b[K" + text);
  ::rl_forced_update_display();
}

std::optional<std::string> EditlineTerminal::read_secret(const std::string& prompt) {
  const bool was_reading = reading_;
  pause();
  const bool editing = started_ && !ended_;
  if (editing) {
    ::rl_callback_handler_remove();  // gives the terminal its normal line mode back
    write_all("\r\x1b[K");
  }
  write_all(prompt);
  termios saved{};
  const bool is_terminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (is_terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ICANON;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string secret;
  char c = 0;
  ssize_t got = 0;
  while ((got = ::read(STDIN_FILENO, &c, 1)) == 1 && c != '\n') secret.push_back(c);
  if (is_terminal) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  write_all("\n");
  if (editing) ::rl_callback_handler_install(prompt_.c_str(), &EditlineTerminal::on_line_entered);
  if (was_reading) resume();
  if (got != 1 && secret.empty()) return std::nullopt;
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  return secret;
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
