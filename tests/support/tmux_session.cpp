// Driving tmux from tests.
#include "support/tmux_session.hpp"

#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <thread>

namespace chatroom::testing {

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string run_shell(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

TmuxSession::TmuxSession(const std::string& command, int width, int height)
    : socket_("chatroom-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++)) {
  run_shell(tmux() + " new-session -d -x " + std::to_string(width) + " -y " + std::to_string(height) + " -s chat " +
            shell_quote(command) + " 2>&1");
}

TmuxSession::~TmuxSession() { run_shell(tmux() + " kill-server 2>/dev/null"); }

void TmuxSession::type(const std::string& keys) const {
  run_shell(tmux() + " send-keys -t chat -l " + shell_quote(keys));
}

void TmuxSession::press(const std::string& key) const { run_shell(tmux() + " send-keys -t chat " + key); }

std::vector<std::string> TmuxSession::screen() const {
  std::istringstream text(run_shell(tmux() + " capture-pane -p -t chat"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  while (!lines.empty() && lines.back().find_first_not_of(' ') == std::string::npos) lines.pop_back();
  return lines;
}

bool TmuxSession::wait_for_screen(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const std::string& line : screen()) {
      if (line.find(text) != std::string::npos) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string TmuxSession::title() const { return run_shell(tmux() + " display-message -p -t chat '#{pane_title}'"); }

std::string TmuxSession::dump() const {
  std::string all;
  for (const std::string& line : screen()) all += "|" + line + "\n";
  return all;
}

}  // namespace chatroom::testing
