// The chat behaviour of the real chatroomd binary, over real loopback sockets.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "net/socket_address.hpp"
#include "support/daemon_process.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

TEST(Chat, TwoClientsChatBothWaysWithExactWireBytes) {
  DaemonProcess daemon;
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  const std::string address = "127.0.0.1:" + std::to_string(daemon.port());
  EXPECT_EQ(alice.welcome(), "connected to chat room at : " + address + "\n");
  EXPECT_EQ(bob.welcome(), "connected to chat room at : " + address + "\n");

  alice.send("hello bob\n");
  EXPECT_EQ(bob.read_line(), "<" + alice.name() + ">:\thello bob\n");
  bob.send("hi alice\r\n");
  EXPECT_EQ(alice.read_line(), "<" + bob.name() + ">:\thi alice\n");
  EXPECT_TRUE(alice.stays_silent(200ms)) << "a sender never receives its own line";
}

TEST(Chat, FiftyClientsEachReceiveEveryOtherClientsLinesOnceAndInOrder) {
  constexpr int kClients = 50;
  constexpr int kLinesEach = 20;
  DaemonProcess daemon;
  std::vector<std::unique_ptr<TestClient>> clients;
  std::map<std::string, int> index_of;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<TestClient>(daemon.port()));
    index_of[clients.back()->name()] = i;
  }
  for (int line = 0; line < kLinesEach; ++line) {
    for (int i = 0; i < kClients; ++i) clients[i]->send("line " + std::to_string(line) + " from " + std::to_string(i) + "\n");
  }
  for (int receiver = 0; receiver < kClients; ++receiver) {
    std::vector<int> next_line(kClients, 0);
    for (int n = 0; n < (kClients - 1) * kLinesEach; ++n) {
      const auto line = clients[receiver]->read_line();
      ASSERT_TRUE(line) << "client " << receiver << " got only " << n << " lines";
      const std::size_t close = line->find(">:\t");
      ASSERT_EQ(line->front(), '<');
      ASSERT_NE(close, std::string::npos);
      const int sender = index_of.at(line->substr(1, close - 1));
      ASSERT_NE(sender, receiver) << "own line echoed back";
      const std::string expected =
          "line " + std::to_string(next_line[sender]) + " from " + std::to_string(sender) + "\n";
      ASSERT_EQ(line->substr(close + 3), expected) << "lost, duplicated or reordered";
      ++next_line[sender];
    }
    EXPECT_TRUE(clients[receiver]->stays_silent(20ms)) << "nothing beyond the expected lines";
  }
}

// More clients than chatroomd flushes in one loop turn, so each fan-out spans several turns
// with input read in between; nothing may be lost or reordered by that.
TEST(Chat, FanOutSpanningSeveralLoopTurnsKeepsEveryLineInOrder) {
  constexpr int kClients = 600;
  constexpr int kSenders = 5;
  constexpr int kLinesEach = 20;
  DaemonProcess daemon;
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(std::make_unique<TestClient>(daemon.port()));
  for (int line = 0; line < kLinesEach; ++line) {
    for (int s = 0; s < kSenders; ++s) clients[s]->send(std::to_string(line) + "\n");
  }
  for (int receiver = kSenders; receiver < kClients; ++receiver) {
    std::map<std::string, int> next_line;
    for (int n = 0; n < kSenders * kLinesEach; ++n) {
      const auto line = clients[receiver]->read_line();
      ASSERT_TRUE(line) << "client " << receiver << " got only " << n << " lines";
      const std::size_t close = line->find(">:\t");
      ASSERT_NE(close, std::string::npos);
      int& expected = next_line[line->substr(1, close - 1)];
      ASSERT_EQ(line->substr(close + 3), std::to_string(expected) + "\n");
      ++expected;
    }
  }
}

// The chat lines of one read are said together (one chunk per member); a command among them
// still takes effect between the lines it came between.
TEST(Chat, ABurstOfLinesWithCommandsAmongThemIsHeardInTheOrderSent) {
  DaemonProcess daemon({"--announce-max-room", "10"});
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  alice.send("one\ntwo\n\\nick ann\nthree\n\\me waves\nfour\nfive\n");
  EXPECT_EQ(bob.read_line(), chat_line(alice, "one"));
  EXPECT_EQ(bob.read_line(), chat_line(alice, "two"));
  EXPECT_EQ(bob.read_line(), "* " + alice.name() + " is now known as ann\n");
  EXPECT_EQ(bob.read_line(), "<ann>:\tthree\n");
  EXPECT_EQ(bob.read_line(), "* ann waves\n");
  EXPECT_EQ(bob.read_line(), "<ann>:\tfour\n");
  EXPECT_EQ(bob.read_line(), "<ann>:\tfive\n");
  EXPECT_EQ(alice.read_line(), "* " + bob.name() + " joined\n");
  EXPECT_EQ(alice.read_line(), "* you are now known as ann\n");
  EXPECT_TRUE(alice.stays_silent(200ms)) << "its own lines never come back";
}

TEST(Chat, BlankLinesAreNotBroadcast) {
  DaemonProcess daemon;
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  alice.send("\n\r\n   \t\nreal\n");
  EXPECT_EQ(bob.read_line(), chat_line(alice, "real"));
}

TEST(Chat, CloseCommandDisconnectsOnlyThatClient) {
  DaemonProcess daemon;
  TestClient leaver(daemon.port());
  TestClient stayer(daemon.port());
  TestClient other(daemon.port());
  leaver.send("bye\n\\close\nnever sent\n");
  EXPECT_EQ(leaver.read_until_eof(), "") << "the server closes a client that sent \\close";
  EXPECT_EQ(stayer.read_line(), chat_line(leaver, "bye"));
  other.send("still here\n");
  EXPECT_EQ(stayer.read_line(), chat_line(other, "still here")) << "\"never sent\" must not be broadcast";
}

TEST(Chat, ConsoleLinesAreBroadcastAsTheServer) {
  DaemonProcess daemon;
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  daemon.write_console("maintenance at noon\n");
  EXPECT_EQ(alice.read_line(), "<server>:\tmaintenance at noon\n");
  EXPECT_EQ(bob.read_line(), "<server>:\tmaintenance at noon\n");
}

TEST(Chat, EndOfConsoleInputDoesNotStopTheDaemon) {
  DaemonProcess daemon;
  daemon.close_console();
  ASSERT_TRUE(daemon.wait_for_log("console input ended", 3s));
  EXPECT_FALSE(daemon.wait_for_exit(300ms));
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  alice.send("still open\n");
  EXPECT_EQ(bob.read_line(), chat_line(alice, "still open"));
}

TEST(Chat, ListeningAddressIsLoggedOnStdout) {
  DaemonProcess daemon;
  EXPECT_TRUE(daemon.wait_for_log("listening on 127.0.0.1:" + std::to_string(daemon.port()), 3s)) << daemon.log();
}

TEST(Chat, Ipv6ClientsAreNamedInBrackets) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback on this machine";
  DaemonProcess daemon({"--host", "::1"});
  TestClient alice(daemon.port(), "::1");
  TestClient bob(daemon.port(), "::1");
  EXPECT_EQ(alice.welcome(), "connected to chat room at : [::1]:" + std::to_string(daemon.port()) + "\n");
  alice.send("over v6\n");
  EXPECT_EQ(bob.read_line(), "<" + alice.name() + ">:\tover v6\n");
  EXPECT_EQ(alice.name().front(), '[');
}

TEST(Chat, DualStackListenerNamesIpv4ClientsPlainly) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback on this machine";
  DaemonProcess daemon({"--host", "::"});
  TestClient alice(daemon.port(), "127.0.0.1");
  TestClient bob(daemon.port(), "::1");
  alice.send("from v4\n");
  EXPECT_EQ(bob.read_line(), "<" + alice.name() + ">:\tfrom v4\n");
  EXPECT_EQ(alice.welcome(), "connected to chat room at : 127.0.0.1:" + std::to_string(daemon.port()) + "\n");
}

std::uint16_t free_port() {
  UniqueFd probe(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const SocketAddress any = SocketAddress::parse("127.0.0.1", 0);
  if (::bind(probe.get(), any.data(), any.size()) != 0) return 0;
  return SocketAddress::local_of(probe.get()).port();
}

TEST(Chat, BarePositionalPortIsHowTheOriginalWasStarted) {
  const std::uint16_t port = free_port();
  ASSERT_NE(port, 0);
  TempDir dir;
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string path = chatroomd_path();
    const std::string port_text = std::to_string(port);
    ::execl(path.c_str(), path.c_str(), port_text.c_str(), "--no-console", "--log-level", "warn", nullptr);
    ::_exit(127);
  }
  std::unique_ptr<TestClient> client;
  for (int attempt = 0; attempt < 300 && !client; ++attempt) {
    try {
      client = std::make_unique<TestClient>(port);
    } catch (const std::exception&) {
      std::this_thread::sleep_for(10ms);
    }
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(client) << "chatroomd " << port << " never accepted a connection";
  EXPECT_EQ(client->welcome(), "connected to chat room at : 127.0.0.1:" + std::to_string(port) + "\n");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace chatroom::testing
