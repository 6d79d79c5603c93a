// The client on a real terminal: tmux runs chatroom in a pseudo-terminal, types into it and
// reads back the screen, so what is asserted is what a person would see.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/client_process.hpp"
#include "support/daemon_process.hpp"
#include "support/stand_in_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"
#include "support/tmux_session.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

// The client under test in a terminal, connecting to 127.0.0.1:`port`, with `environment`
// set before it (TERM at least).
std::string client_command(std::uint16_t port, const std::string& environment = "TERM=xterm") {
  return environment + " " + chatroom_client_path() + " --no-color 127.0.0.1 " + std::to_string(port);
}

// The exit status the command after `;` in a session writes to `status_file`, once it has.
std::string wait_for_status(const std::string& status_file, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string status;
  while (status.empty() && std::chrono::steady_clock::now() < deadline) {
    status = run_shell("cat " + status_file + " 2>/dev/null");
    std::this_thread::sleep_for(20ms);
  }
  return status;
}

TEST(Terminal, IncomingMessageLandsAboveTheHalfTypedLineWhichStaysIntact) {
  DaemonProcess daemon;
  TestClient other(daemon.port());
  TmuxSession session(client_command(daemon.port()));
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
  TmuxSession session(client_command(daemon.port()));
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
  TmuxSession session(client_command(daemon.port()));
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

TEST(Terminal, AServersPasswordIsAskedForWithoutEchoAndNeverShown) {
  TempDir dir;
  std::ofstream(dir.file("password")) << "sekrit words\n";
  DaemonProcess daemon({"--password-file", dir.file("password")});
  TestClient member(daemon.port());
  member.send("\\pass sekrit words\n");
  ASSERT_EQ(member.read_line(), "* this chat room needs a password: send \\pass PASSWORD\n");
  ASSERT_EQ(member.read_line(), "* password accepted\n");

  TmuxSession session(client_command(daemon.port()));
  ASSERT_TRUE(session.wait_for_screen("password for 127.0.0.1:", 5s)) << session.dump();
  session.type("sekrit words");
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(session.wait_for_screen("sekrit", 300ms)) << "the password was echoed\n" << session.dump();
  session.press("Enter");
  ASSERT_TRUE(session.wait_for_screen("password accepted", 5s)) << session.dump();
  session.type("hello once in");
  session.press("Enter");
  const auto heard = member.read_line();
  ASSERT_TRUE(heard) << session.dump();
  EXPECT_NE(heard->find(">:\thello once in\n"), std::string::npos) << *heard;
  EXPECT_FALSE(session.wait_for_screen("sekrit", 100ms)) << session.dump();
}

TEST(Terminal, TypedCloseLeavesWithExitZero) {
  DaemonProcess daemon;
  TempDir dir;
  const std::string status_file = dir.file("status");
  TmuxSession session(client_command(daemon.port()) + "; echo exit=$? > " + status_file + "; sleep 5");
  ASSERT_TRUE(session.wait_for_screen(">", 5s)) << session.dump();
  session.type("\\close");
  session.press("Enter");
  EXPECT_EQ(wait_for_status(status_file, 5s), "exit=0\n") << session.dump();
}

TEST(Terminal, TypedUtf8IsSentByteForByteAndEditedByCharacter) {
  DaemonProcess daemon;
  TestClient other(daemon.port());
  // The C locale on purpose: the client must still read keys as UTF-8, which the wire is.
  TmuxSession session(client_command(daemon.port(), "env LANG=C LC_ALL=C TERM=xterm"));
  ASSERT_TRUE(session.wait_for_screen("[lobby]>", 5s)) << session.dump();

  session.type("x\xC3\xA9");
  session.press("BSpace");  // deletes the whole \xC3\xA9, not one byte of it
  session.type("\xC3\xB1\xE2\x9C\x93");
  session.press("Left");    // before the check mark
  session.press("BSpace");  // deletes the n with tilde
  session.type("\xC3\xA9");
  session.press("End");
  session.type(" h\xC3\xA9llo w\xC3\xB6rld \xE2\x9C\x93\xE2\x9C\x93");
  session.press("BSpace");  // deletes the whole last check mark (three bytes)
  const std::string expected = "x\xC3\xA9\xE2\x9C\x93 h\xC3\xA9llo w\xC3\xB6rld \xE2\x9C\x93";
  ASSERT_TRUE(session.wait_for_screen("[lobby]> " + expected, 5s)) << session.dump();
  session.press("Enter");
  const auto sent = other.read_line();
  ASSERT_TRUE(sent) << session.dump();
  EXPECT_EQ(sent->substr(sent->find(">:\t") + 3), expected + "\n") << "typed UTF-8 arrives byte for byte";
}

// Names no server of ours would send: controls, escape sequences, C1, invalid and unprintable
// UTF-8, bidirectional overrides, very long ones; then random bytes.
std::vector<std::string> hostile_names() {
  std::vector<std::string> names = {
      "\xC3\xA9",  "\xC2\x9B", "\xC2\x9B" "31m", "\xFF\xFE", std::string("a\0b", 3), "\x1B[31mred",
      "\x07",      "\x1B]0;x\x07", "\xED\xA0\x80", "\xEF\xBF\xBF", "\xE2\x80\xAE" "evil", "\t", "\r",
      "\xF4\x90\x80\x80", "\xC0\x80", "\xE0\x80", std::string(5000, 'x'), "\x1B[2J\x1B[H", "\x7F", "\x1B",
  };
  std::mt19937 random(20261126);
  std::uniform_int_distribution<int> length(1, 48);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> printable(0x21, 0x7E);
  std::bernoulli_distribution dangerous(0.5);
  for (int i = 0; i < 300; ++i) {
    std::string name;
    for (int n = length(random); n > 0; --n) {
      int byte = dangerous(random) ? any_byte(random) : printable(random);
      if (byte == '\n') byte = '\x1B';
      name.push_back(static_cast<char>(byte));
    }
    names.push_back(name);
  }
  return names;
}

TEST(Terminal, HostileNamesFromAServerNeitherCrashTheClientNorReachTheTerminalRaw) {
  StandInServer server;
  TempDir dir;
  const std::string status_file = dir.file("status");
  TmuxSession session(client_command(server.port(), "env LANG=C LC_ALL=C TERM=xterm") + "; echo exit=$? > " +
                      status_file + "; sleep 5");
  ASSERT_TRUE(server.accept_client(5s));
  server.send("connected to chat room at : 127.0.0.1:7000\n");
  ASSERT_TRUE(session.wait_for_screen("[lobby]>", 5s)) << session.dump();
  const std::string title_before = session.title();

  for (const std::string& name : hostile_names()) {
    server.send("* you are now known as " + name + "\n* you joined " + name + " (1 here)\n");
  }
  // Last, a name that would retitle the terminal if it reached it raw: shown, not obeyed.
  server.send("* you are now known as \x1B]2;PWNED\x07\n* you joined \xC3\xA9t\xC3\xA9\x9B (1 here)\n");
  ASSERT_TRUE(session.wait_for_screen("[\xC3\xA9t\xC3\xA9\xEF\xBF\xBD] ^[]2;PWNED^G>", 5s)) << session.dump();
  EXPECT_EQ(session.title(), title_before) << "an escape sequence reached the terminal";

  server.send("<someone>:\tstill alive\n");
  ASSERT_TRUE(session.wait_for_screen("still alive", 5s)) << "the client died\n" << session.dump();
  server.send("\\close");
  server.disconnect();
  EXPECT_EQ(wait_for_status(status_file, 5s), "exit=0\n") << session.dump();
}

}  // namespace
}  // namespace chatroom::testing
