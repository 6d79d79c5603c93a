// The client on a real terminal: tmux runs chatroom in a pseudo-terminal, types into it and
// reads back the screen, so what is asserted is what a person would see.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/client_process.hpp"
#include "support/daemon_process.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

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

std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

// A tmux server of our own (its own socket), with one 100x20 window running `command`.
class TmuxSession {
 public:
  explicit TmuxSession(const std::string& command)
      : socket_("chatroom-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++)) {
    run(tmux() + " new-session -d -x 100 -y 20 -s chat " + shell_quote(command) + " 2>&1");
  }
  ~TmuxSession() { run(tmux() + " kill-server 2>/dev/null"); }
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  void type(const std::string& keys) { run(tmux() + " send-keys -t chat -l " + shell_quote(keys)); }
  void press(const std::string& key) { run(tmux() + " send-keys -t chat " + key); }
  [[nodiscard]] std::vector<std::string> screen() const {
    std::istringstream text(run(tmux() + " capture-pane -p -t chat"));
    std::vector<std::string> lines;
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    while (!lines.empty() && lines.back().find_first_not_of(' ') == std::string::npos) lines.pop_back();
    return lines;
  }
  bool wait_for_screen(const std::string& text, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const std::string& line : screen()) {
        if (line.find(text) != std::string::npos) return true;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  [[nodiscard]] std::string dump() const {
    std::string all;
    for (const std::string& line : screen()) all += "|" + line + "\n";
    return all;
  }

 private:
  [[nodiscard]] std::string tmux() const { return "tmux -L " + socket_ + " -f /dev/null"; }
  static inline int counter_ = 0;
  std::string socket_;
};

TEST(Terminal, IncomingMessageLandsAboveTheHalfTypedLineWhichStaysIntact) {
  DaemonProcess daemon;
  TestClient other(daemon.port());
  TmuxSession session("TERM=xterm " + chatroom_client_path() + " --no-color 127.0.0.1 " +
                      std::to_string(daemon.port()));
  ASSERT_TRUE(session.wait_for_screen("connected to chat room", 5s)) << session.dump();
  ASSERT_TRUE(session.wait_for_screen(">", 5s)) << session.dump();

  session.type("half typed");
  ASSERT_TRUE(session.wait_for_screen("[lobby]> half typed", 5s)) << session.dump();
  other.send("a message arrives\n");
  ASSERT_TRUE(session.wait_for_screen("a message arrives", 5s)) << session.dump();

  const std::vector<std::string> screen = session.screen();
  ASSERT_GE(screen.size(), 2U) << session.dump();
  std::string expected_message = other.name() + ":";
  expected_message += std::string(8 - expected_message.size() % 8, ' ') + "a message arrives";  // the TAB
  EXPECT_EQ(screen[screen.size() - 2], expected_message) << session.dump();
  EXPECT_EQ(screen.back(), "[lobby]> half typed") << session.dump();

  // Finishing the line sends exactly what was typed, with nothing lost to the redraw.
  session.type(" and finished");
  session.press("Enter");
  const auto sent = other.read_line();
  ASSERT_TRUE(sent) << session.dump();
  EXPECT_EQ(sent->rfind("<127.0.0.1:", 0), 0U) << *sent;
  EXPECT_NE(sent->find(">:\thalf typed and finished\n"), std::string::npos) << *sent;

  // After a line is sent, messages still arrive while the next is being typed (libedit's
  // callback interface once stopped reading keys one at a time after the first line).
  session.type("second");
  other.send("a reply\n");
  ASSERT_TRUE(session.wait_for_screen("a reply", 5s)) << session.dump();
  EXPECT_EQ(session.screen().back(), "[lobby]> second") << session.dump();
}

TEST(Terminal, ControlCharactersFromOthersAreShownHarmlessly) {
  DaemonProcess daemon;
  TestClient other(daemon.port());
  TmuxSession session("TERM=xterm " + chatroom_client_path() + " --no-color 127.0.0.1 " +
                      std::to_string(daemon.port()));
  ASSERT_TRUE(session.wait_for_screen(">", 5s)) << session.dump();
  // The daemon already strips these; a hostile server would not, which the client's own
  // sanitising covers (unit-tested in LineFormatter). Here: nothing reaches the screen raw.
  other.send("\x1b[2J\x1b[Hwiped?\n");
  ASSERT_TRUE(session.wait_for_screen("wiped?", 5s)) << session.dump();
  EXPECT_TRUE(session.wait_for_screen("connected to chat room", 1s)) << "the screen was not cleared\n" << session.dump();
}

TEST(Terminal, PromptShowsRoomAndNicknameAndTabCompletesCommandsAndNames) {
  DaemonProcess daemon;
  TestClient zelda(daemon.port());
  zelda.send("\\nick zelda\n\\join dev\n");
  ASSERT_EQ(zelda.read_line(), "* you are now known as zelda\n");
  ASSERT_EQ(zelda.read_line(), "* you joined dev (1 here)\n");
  TmuxSession session("TERM=xterm " + chatroom_client_path() + " --no-color 127.0.0.1 " +
                      std::to_string(daemon.port()));
  ASSERT_TRUE(session.wait_for_screen("[lobby]>", 5s)) << session.dump();

  session.type("\\ni");
  session.press("Tab");
  ASSERT_TRUE(session.wait_for_screen("[lobby]> \\nick", 5s)) << "command completed\n" << session.dump();
  session.type("alice");
  session.press("Enter");
  ASSERT_TRUE(session.wait_for_screen("[lobby] alice>", 5s)) << session.dump();
  session.type("\\join dev");
  session.press("Enter");
  ASSERT_TRUE(session.wait_for_screen("[dev] alice>", 5s)) << session.dump();
  EXPECT_TRUE(session.wait_for_screen("* you joined dev (2 here)", 1s)) << session.dump();

  session.type("\\who");
  session.press("Enter");
  ASSERT_TRUE(session.wait_for_screen("* in dev (2): ", 5s)) << session.dump();
  session.type("\\msg ze");
  session.press("Tab");
  ASSERT_TRUE(session.wait_for_screen("\\msg zelda", 5s)) << "name learnt from \\who\n" << session.dump();
  session.type(" a secret");
  session.press("Enter");
  for (;;) {
    const auto line = zelda.read_line();
    ASSERT_TRUE(line) << session.dump();
    if (*line == "*alice*:\t a secret\n" || *line == "*alice*:\ta secret\n") break;
  }
  EXPECT_TRUE(session.wait_for_screen("-> *zelda*:", 5s)) << "the echo, shown as private\n" << session.dump();
}

TEST(Terminal, TypedCloseLeavesWithExitZero) {
  DaemonProcess daemon;
  TempDir dir;
  const std::string status_file = dir.file("status");
  TmuxSession session("TERM=xterm " + chatroom_client_path() + " --no-color 127.0.0.1 " +
                      std::to_string(daemon.port()) + "; echo exit=$? > " + status_file + "; sleep 5");
  ASSERT_TRUE(session.wait_for_screen(">", 5s)) << session.dump();
  session.type("\\close");
  session.press("Enter");
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  std::string status;
  while (status.empty() && std::chrono::steady_clock::now() < deadline) {
    status = run("cat " + status_file + " 2>/dev/null");
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, "exit=0\n") << session.dump();
}

}  // namespace
}  // namespace chatroom::testing
