#include "client/chat_client.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "client/line_input.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

struct RecordingDisplay final : ChatDisplay {
  struct Shown {
    DisplayLine::Kind kind;
    std::string sender;
    std::string text;
  };
  std::vector<Shown> lines;
  void show(const DisplayLine& line) override {
    lines.push_back({line.kind, std::string(line.sender), std::string(line.text)});
  }
};

// A ChatClient wired to a socketpair (the "server" end is server_) and a pipe (its input).
class ChatClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int sockets[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sockets), 0);
    server_ = UniqueFd(sockets[1]);
    int pipe_fds[2];
    ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
    input_read_ = UniqueFd(pipe_fds[0]);
    input_write_ = UniqueFd(pipe_fds[1]);
    // These tests run in real time: a slow machine must not show half of a line a test sends
    // in two parts as a line of its own.
    ClientLimits limits;
    limits.unterminated_line_delay = std::chrono::hours(1);
    client_ = std::make_unique<ChatClient>(reactor_, std::make_unique<PlainTransport>(UniqueFd(sockets[0])), display_, limits);
    input_ = std::make_unique<LineInput>(reactor_, input_read_.get(), *client_, 4096);
    client_->attach_input(input_.get());
  }

  void TearDown() override { client_->attach_input(nullptr); }

  void type(const std::string& text) {
    ASSERT_EQ(::write(input_write_.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void server_sends(const std::string& text) {
    ASSERT_EQ(::write(server_.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void turn(int times = 5) {
    for (int i = 0; i < times && !reactor_.stopped(); ++i) reactor_.run_once(20ms);
  }
  // What the server side has received so far, and whether the client has half-closed.
  std::string server_reads(bool* eof = nullptr) {
    std::string received;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::read(server_.get(), chunk, sizeof(chunk));
      if (n > 0) {
        received.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      if (eof != nullptr) *eof = n == 0;
      return received;
    }
  }

  SteadyClock clock_;
  Reactor reactor_{clock_};
  RecordingDisplay display_;
  UniqueFd server_;
  UniqueFd input_read_;
  UniqueFd input_write_;
  std::unique_ptr<ChatClient> client_;
  std::unique_ptr<LineInput> input_;
};

TEST_F(ChatClientTest, LinesFromTheInputReachTheSocket) {
  type("hello\n\n   \nworld\n");
  turn();
  EXPECT_EQ(server_reads(), "hello\nworld\n") << "blank lines are not sent";
}

TEST_F(ChatClientTest, PartialInputLinesWaitForTheirNewline) {
  type("hal");
  turn();
  EXPECT_EQ(server_reads(), "");
  type("f a line\n");
  turn();
  EXPECT_EQ(server_reads(), "half a line\n");
}

TEST_F(ChatClientTest, LinesFromTheSocketReachTheDisplay) {
  server_sends("connected to chat room at : 127.0.0.1:7000\n<127.0.0.1:5000>:\thi th");
  turn();
  server_sends("ere\n! line too long (limit 10 bytes)\n");
  turn();
  ASSERT_EQ(display_.lines.size(), 3U);
  EXPECT_EQ(display_.lines[0].kind, DisplayLine::Kind::Notice);
  EXPECT_EQ(display_.lines[0].text, "connected to chat room at : 127.0.0.1:7000");
  EXPECT_EQ(display_.lines[1].kind, DisplayLine::Kind::Chat);
  EXPECT_EQ(display_.lines[1].sender, "127.0.0.1:5000");
  EXPECT_EQ(display_.lines[1].text, "hi there");
  EXPECT_EQ(display_.lines[2].kind, DisplayLine::Kind::Error);
  EXPECT_EQ(display_.lines[2].text, "line too long (limit 10 bytes)");
}

TEST_F(ChatClientTest, TypedCloseTellsTheServerAndLeavesCleanly) {
  type("bye\n\\close\nnot sent\n");
  turn();
  bool eof = false;
  EXPECT_EQ(server_reads(&eof), "bye\n\\close\n");
  EXPECT_TRUE(eof) << "the client half-closes after its last line";
  server_.reset();  // the server closes in turn
  turn();
  EXPECT_EQ(client_->outcome(), ChatClient::Outcome::Left);
  EXPECT_EQ(client_->exit_code(), 0);
}

TEST_F(ChatClientTest, EndOfInputFlushesEverythingThenCloses) {
  type("one\ntwo\nlast without newline");
  input_write_.reset();
  turn();
  bool eof = false;
  EXPECT_EQ(server_reads(&eof), "one\ntwo\nlast without newline\n");
  EXPECT_TRUE(eof);
  server_.reset();
  turn();
  EXPECT_EQ(client_->outcome(), ChatClient::Outcome::Left);
  EXPECT_TRUE(display_.lines.empty()) << "a clean goodbye prints nothing";
}

TEST_F(ChatClientTest, ServerCloseWithoutNewlineEndsWithTheMessage) {
  server_sends("\\close");
  server_.reset();
  turn();
  EXPECT_EQ(client_->outcome(), ChatClient::Outcome::ServerClosedRoom);
  EXPECT_EQ(client_->exit_code(), 0);
  ASSERT_FALSE(display_.lines.empty());
  EXPECT_EQ(display_.lines.back().text, "server closed the chat room");
}

TEST_F(ChatClientTest, ServerVanishingIsReportedAsALostConnection) {
  server_sends("<a:1>:\tlast words\n");
  server_.reset();
  turn();
  EXPECT_EQ(client_->outcome(), ChatClient::Outcome::ConnectionLost);
  EXPECT_EQ(client_->exit_code(), 1);
  ASSERT_EQ(display_.lines.size(), 2U);
  EXPECT_EQ(display_.lines.back().kind, DisplayLine::Kind::Error);
  EXPECT_EQ(display_.lines.back().text, "connection to server lost: the server closed it");
}

TEST_F(ChatClientTest, GoodbyeGivesUpWhenTheServerNeverCloses) {
  ClientLimits limits;
  limits.goodbye_timeout = 50ms;
  int sockets[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sockets), 0);
  const UniqueFd silent_server(sockets[1]);
  ChatClient client(reactor_, std::make_unique<PlainTransport>(UniqueFd(sockets[0])), display_, limits);
  client.leave();
  const auto started = std::chrono::steady_clock::now();
  while (client.outcome() == ChatClient::Outcome::Running && std::chrono::steady_clock::now() - started < 5s) {
    reactor_.run_once(20ms);
  }
  EXPECT_EQ(client.outcome(), ChatClient::Outcome::Left);
}

// A client with its own socketpair and limits; the server's end is `server`.
std::unique_ptr<ChatClient> client_with(Reactor& reactor, ChatDisplay& display, ClientLimits limits, UniqueFd& server) {
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sockets) != 0) return nullptr;
  server = UniqueFd(sockets[1]);
  return std::make_unique<ChatClient>(reactor, std::make_unique<PlainTransport>(UniqueFd(sockets[0])), display, limits);
}

TEST_F(ChatClientTest, UnterminatedLineIsShownOnceNothingFollowedItForTheDelay) {
  ClientLimits limits;
  limits.unterminated_line_delay = 100ms;
  UniqueFd server;
  const auto client = client_with(reactor_, display_, limits, server);
  ASSERT_EQ(::write(server.get(), "connected to chat room at : 127.0.0.1:7311", 42), 42);
  reactor_.run_once(20ms);
  EXPECT_TRUE(display_.lines.empty()) << "held while its newline may still come";
  const auto started = std::chrono::steady_clock::now();
  while (display_.lines.empty() && std::chrono::steady_clock::now() - started < 5s) reactor_.run_once(20ms);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
  ASSERT_EQ(display_.lines.size(), 1U);
  EXPECT_EQ(display_.lines[0].kind, DisplayLine::Kind::Notice);
  EXPECT_EQ(display_.lines[0].text, "connected to chat room at : 127.0.0.1:7311");

  const std::string message = "<127.0.0.1>:\thello\n";
  ASSERT_EQ(::write(server.get(), message.data(), message.size()), static_cast<ssize_t>(message.size()));
  for (int i = 0; i < 5; ++i) reactor_.run_once(20ms);
  ASSERT_EQ(display_.lines.size(), 2U) << "the next message starts a line of its own";
  EXPECT_EQ(display_.lines[1].kind, DisplayLine::Kind::Chat);
  EXPECT_EQ(display_.lines[1].sender, "127.0.0.1");
  EXPECT_EQ(display_.lines[1].text, "hello");
}

TEST_F(ChatClientTest, WelcomeGluedToTheFirstMessageIsShownAsTwoLines) {
  server_sends("connected to chat room at : [::1]:7311<127.0.0.1>:\thello\n<127.0.0.1>:\tconnected to chat room at : x<y>:\tz\n");
  turn();
  ASSERT_EQ(display_.lines.size(), 3U);
  EXPECT_EQ(display_.lines[0].text, "connected to chat room at : [::1]:7311");
  EXPECT_EQ(display_.lines[1].text, "hello");
  EXPECT_EQ(display_.lines[2].text, "connected to chat room at : x<y>:\tz") << "only the first line is split";
}

}  // namespace
}  // namespace chatroom
