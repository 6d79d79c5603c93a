// The interactive terminal: libedit's readline-compatible callback interface reads keys as
// the reactor reports stdin readable, with history; incoming messages are printed above the
// line being typed, which is then redrawn intact. readline's callback API keeps one global
// line handler, so at most one EditlineTerminal may exist at a time.
#pragma once

#include <optional>
#include <string>

#include "client/chat_display.hpp"
#include "client/client_session.hpp"
#include "client/line_formatter.hpp"
#include "client/user_input.hpp"
#include "reactor/reactor.hpp"

namespace chatroom {

class EditlineTerminal final : public ChatDisplay, public UserInput, private IoHandler {
 public:
  EditlineTerminal(Reactor& reactor, LineFormatter formatter, std::string prompt);
  ~EditlineTerminal() override;
  EditlineTerminal(const EditlineTerminal&) = delete;
  EditlineTerminal& operator=(const EditlineTerminal&) = delete;

  // Installs the line editor and starts reading keys; lines typed go to `events`.
  void start(UserInputEvents& events);
  void show(const DisplayLine& line) override;
  // Takes the prompt and tab completions from `session`, which must outlive this terminal.
  void follow(const ClientSession& session);
  void session_changed() override;
  void pause() override;
  void resume() override;
  // Asks for a secret on the terminal without echoing it, blocking until Enter (nothing else
  // needs the loop meanwhile: the server tells a client nothing before its password).
  // Nullopt if input ended.
  std::optional<std::string> read_secret(const std::string& prompt);

 private:
  static void on_line_entered(char* line);
  static char** complete(const char* word, int start, int end);
  void handle_io(IoEvents events) override;
  void stop_reading();

  Reactor& reactor_;
  LineFormatter formatter_;
  std::string prompt_;
  const ClientSession* session_ = nullptr;
  WatchId watch_;
  bool reading_ = false;
  bool started_ = false;
  bool ended_ = false;
};

}  // namespace chatroom
