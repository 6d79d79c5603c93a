// The real chatroom client against the real chatroomd, driven through pipes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include "support/client_process.hpp"
#include "support/daemon_process.hpp"
#include "support/stand_in_server.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

int exit_code(std::optional<int> status) { return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1; }

TEST(Client, TwoClientsWithPipedInputChatThroughTheDaemon) {
  DaemonProcess daemon;
  const std::string port = std::to_string(daemon.port());
  ClientProcess alice({"127.0.0.1", port});
  ClientProcess bob({"127.0.0.1", port});
  ASSERT_TRUE(alice.wait_for_output("connected to chat room at : 127.0.0.1:" + port, 5s)) << alice.output();
  ASSERT_TRUE(bob.wait_for_output("connected to chat room at", 5s)) << bob.output();

  alice.type("hello bob\n");
  EXPECT_TRUE(bob.wait_for_output(":\thello bob\n", 5s)) << bob.output();
  bob.type("hi alice\n");
  EXPECT_TRUE(alice.wait_for_output(":\thi alice\n", 5s)) << alice.output();
  EXPECT_EQ(alice.output().find("hello bob"), std::string::npos) << "no echo of one's own lines";

  alice.type("\\close\n");
  EXPECT_EQ(exit_code(alice.wait_for_exit(3s)), 0);
  bob.close_input();
  EXPECT_EQ(exit_code(bob.wait_for_exit(3s)), 0);
  EXPECT_EQ(bob.output().find("lost"), std::string::npos) << bob.output();
}

TEST(Client, PipedInputIsDeliveredInFullBeforeTheClientExits) {
  DaemonProcess daemon;
  TestClient listener(daemon.port());
  ClientProcess sender({"127.0.0.1", std::to_string(daemon.port())});
  sender.type("hi\nthere\n");
  sender.close_input();  // as `printf 'hi\nthere\n' | chatroom` does
  EXPECT_EQ(exit_code(sender.wait_for_exit(3s)), 0) << sender.output();
  const auto first = listener.read_line();
  const auto second = listener.read_line();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->find(">:\thi\n"), std::string::npos) << *first;
  EXPECT_NE(second->find(">:\tthere\n"), std::string::npos) << *second;
}

// The original Python server: its welcome has no newline, its messages do, and its "\close"
// has none either.
TEST(Client, AgainstTheOriginalServerTheUnterminatedWelcomeStandsOnItsOwnLine) {
  StandInServer original;
  ClientProcess client({"127.0.0.1", std::to_string(original.port())});
  ASSERT_TRUE(original.accept_client(5s));
  original.send("connected to chat room at : 127.0.0.1:7311");
  ASSERT_TRUE(client.wait_for_output("connected to chat room at : 127.0.0.1:7311\n", 2s))
      << "shown on its own once nothing followed it for a while\n" << client.output();
  original.send("<127.0.0.1>:\thello\n");
  ASSERT_TRUE(client.wait_for_output("hello", 5s)) << client.output();
  EXPECT_EQ(client.output(), "* connected to chat room at : 127.0.0.1:7311\n127.0.0.1:\thello\n");

  client.type("hi there\n");
  EXPECT_EQ(original.read_line(5s), "hi there\n");
  original.send("\\close");
  original.disconnect();
  EXPECT_EQ(exit_code(client.wait_for_exit(3s)), 0) << client.output();
  EXPECT_NE(client.output().find("server closed the chat room"), std::string::npos) << client.output();
}

TEST(Client, AgainstTheOriginalServerAWelcomeGluedToTheFirstMessageIsSplit) {
  StandInServer original;
  ClientProcess client({"127.0.0.1", std::to_string(original.port())});
  ASSERT_TRUE(original.accept_client(5s));
  original.send("connected to chat room at : 127.0.0.1:7311<127.0.0.1>:\thello\n");  // one segment
  ASSERT_TRUE(client.wait_for_output("hello", 5s)) << client.output();
  EXPECT_EQ(client.output(), "* connected to chat room at : 127.0.0.1:7311\n127.0.0.1:\thello\n");
  original.send("\\close");  // and the connection stays open: shown as the end all the same
  EXPECT_FALSE(client.wait_for_output("\\close", 1s)) << client.output();
  original.disconnect();
  EXPECT_EQ(exit_code(client.wait_for_exit(3s)), 0) << client.output();
}

TEST(Client, ExitsZeroWithTheMessageWhenTheDaemonShutsDown) {
  DaemonProcess daemon;
  ClientProcess client({"--port", std::to_string(daemon.port())});
  ASSERT_TRUE(client.wait_for_output("connected to chat room", 5s)) << client.output();
  daemon.send_signal(SIGTERM);
  EXPECT_EQ(exit_code(client.wait_for_exit(3s)), 0) << client.output();
  EXPECT_NE(client.output().find("server closed the chat room"), std::string::npos) << client.output();
}

TEST(Client, ExitsOneWithAClearMessageWhenTheConnectionIsLost) {
  DaemonProcess daemon;
  ClientProcess client({"127.0.0.1", std::to_string(daemon.port())});
  ASSERT_TRUE(client.wait_for_output("connected to chat room", 5s)) << client.output();
  daemon.send_signal(SIGKILL);
  EXPECT_EQ(exit_code(client.wait_for_exit(3s)), 1) << client.output();
  EXPECT_NE(client.output().find("connection to server lost"), std::string::npos) << client.output();
}

TEST(Client, ExitsOneWithAClearMessageWhenNothingListens) {
  DaemonProcess daemon;
  const std::string port = std::to_string(daemon.port());
  daemon.send_signal(SIGKILL);
  daemon.wait_for_exit(3s);
  ClientProcess client({"127.0.0.1", port});
  EXPECT_EQ(exit_code(client.wait_for_exit(3s)), 1);
  EXPECT_EQ(client.output(), "chatroom: cannot connect to 127.0.0.1:" + port + ": Connection refused\n");
}

TEST(Client, WorksOverIpv6) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback on this machine";
  DaemonProcess daemon({"--host", "::1"});
  TestClient listener(daemon.port(), "::1");
  ClientProcess client({"::1", std::to_string(daemon.port())});
  ASSERT_TRUE(client.wait_for_output("connected to chat room at : [::1]:", 5s)) << client.output();
  client.type("over v6\n");
  const auto received = listener.read_line();
  ASSERT_TRUE(received);
  EXPECT_NE(received->find(">:\tover v6\n"), std::string::npos);
}

}  // namespace
}  // namespace chatroom::testing
