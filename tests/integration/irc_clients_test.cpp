// Real IRC clients nobody here wrote, from Debian: irssi on a terminal (tmux), weechat-headless
// driven through its FIFO and read back from its logs, and a python3-irc bot, each in the same
// rooms as a line-protocol client and a WebSocket client. What each side shows or reads is
// checked byte for byte, UTF-8 included.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "net/unique_fd.hpp"
#include "support/client_process.hpp"
#include "support/daemon_process.hpp"
#include "support/http_daemon.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"
#include "support/tmux_session.hpp"
#include "support/websocket_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads lines until `wanted`; false if it does not come within five seconds.
bool read_until_line(TestClient& client, const std::string& wanted) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto line = client.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now() + 1ms));
    if (!line) return false;
    if (*line == wanted) return true;
  }
  return false;
}

// chatroomd with its line, WebSocket and IRC listeners, join and leave notices on.
class ThreeListenerDaemon {
 public:
  ThreeListenerDaemon()
      : http_({"--announce-max-room", "200", "--irc-port", "0", "--irc-port-file", dir_.file("irc-port")}) {
    irc_port_ = static_cast<std::uint16_t>(std::stoi(read_whole(dir_.file("irc-port"))));
  }
  [[nodiscard]] std::uint16_t irc_port() const { return irc_port_; }
  [[nodiscard]] std::uint16_t chat_port() const { return http_.chat_port(); }
  [[nodiscard]] std::uint16_t http_port() const { return http_.http_port(); }

 private:
  TempDir dir_;
  HttpDaemon http_;
  std::uint16_t irc_port_ = 0;
};

// A line-protocol client called `nick`, its welcome and rename read.
std::unique_ptr<TestClient> line_client(const ThreeListenerDaemon& server, const std::string& nick) {
  auto client = std::make_unique<TestClient>(server.chat_port());
  client->send("\\nick " + nick + "\n");
  EXPECT_EQ(client->read_line(), "* you are now known as " + nick + "\n");
  return client;
}

// A WebSocket client called `nick`, its welcome and rename read.
std::unique_ptr<WebSocketTestClient> web_client(const ThreeListenerDaemon& server, const std::string& nick) {
  auto client = std::make_unique<WebSocketTestClient>(server.http_port());
  EXPECT_TRUE(client->read_response_head().starts_with("HTTP/1.1 101"));
  EXPECT_TRUE(client->read_text().value_or("").starts_with("connected to chat room at : "));
  client->send_text("\\nick " + nick);
  EXPECT_EQ(client->read_text(), "* you are now known as " + nick);
  return client;
}

std::string source_file(const std::string& relative) { return std::string(CHATROOM_SOURCE_DIR) + "/" + relative; }

bool program_exists(const std::string& name) { return !run_shell("command -v " + name).empty(); }

TEST(IrcClients, IrssiChatsWithALineClientAndAWebSocketClient) {
  ASSERT_TRUE(program_exists("irssi")) << "irssi is missing: scripts/ensure-deps.sh installs it";
  ThreeListenerDaemon server;
  auto bob = line_client(server, "bob");
  auto wendy = web_client(server, "wendy");
  ASSERT_TRUE(bob->read_line().value_or("").ends_with(" joined\n"));
  ASSERT_TRUE(bob->read_line().value_or("").ends_with(" is now known as wendy\n"));
  TempDir home;
  TmuxSession irssi("TERM=xterm LANG=C.UTF-8 irssi --home=" + home.path().string() + " -c 127.0.0.1 -p " +
                        std::to_string(server.irc_port()) + " -n alice",
                    140, 30);
  ASSERT_TRUE(irssi.wait_for_screen("Welcome to the chatroom IRC network, alice!alice@chatroomd", 10s))
      << irssi.dump();
  EXPECT_EQ(bob->read_line(), "* alice joined\n");
  EXPECT_EQ(wendy->read_text(), "* alice joined");
  irssi.type("/window 2");
  irssi.press("Enter");
  ASSERT_TRUE(irssi.wait_for_screen("alice [alice@chatroomd] has joined #lobby", 5s)) << irssi.dump();

  bob->send("h\xc3\xa9llo from tcp \xe2\x9c\x93\n");
  // bob opened the lobby, so irssi shows him as its operator.
  EXPECT_TRUE(irssi.wait_for_screen("<@bob> h\xc3\xa9llo from tcp \xe2\x9c\x93", 5s)) << irssi.dump();
  EXPECT_EQ(wendy->read_text(), "<bob>:\th\xc3\xa9llo from tcp \xe2\x9c\x93");
  wendy->send_text("hi from the web");
  EXPECT_TRUE(irssi.wait_for_screen("< wendy> hi from the web", 5s)) << irssi.dump();
  EXPECT_EQ(bob->read_line(), "<wendy>:\thi from the web\n");

  irssi.type("hello from irssi \xc3\xa9");
  irssi.press("Enter");
  EXPECT_EQ(bob->read_line(), "<alice>:\thello from irssi \xc3\xa9\n");
  EXPECT_EQ(wendy->read_text(), "<alice>:\thello from irssi \xc3\xa9");

  irssi.type("/me dances");
  irssi.press("Enter");
  EXPECT_EQ(bob->read_line(), "* alice dances\n");
  EXPECT_EQ(wendy->read_text(), "* alice dances");

  irssi.type("/msg bob just for you");
  irssi.press("Enter");
  EXPECT_EQ(bob->read_line(), "*alice*:\tjust for you\n");
  wendy->send_text("\\msg alice psst from the web");
  EXPECT_EQ(wendy->read_text(), "-> *alice*:\tpsst from the web");
  irssi.type("/window goto wendy");  // irssi opened a query window for wendy
  irssi.press("Enter");
  EXPECT_TRUE(irssi.wait_for_screen("<wendy> psst from the web", 5s)) << irssi.dump();
  irssi.type("/window 2");
  irssi.press("Enter");

  irssi.type("/nick alicia");
  irssi.press("Enter");
  EXPECT_EQ(bob->read_line(), "* alice is now known as alicia\n");
  EXPECT_EQ(wendy->read_text(), "* alice is now known as alicia");
  EXPECT_TRUE(irssi.wait_for_screen("You're now known as alicia", 5s)) << irssi.dump();
  bob->send("\\nick robert\n");
  EXPECT_EQ(bob->read_line(), "* you are now known as robert\n");
  EXPECT_EQ(wendy->read_text(), "* bob is now known as robert");
  EXPECT_TRUE(irssi.wait_for_screen("bob is now known as robert", 5s)) << irssi.dump();

  irssi.type("/quit see you");
  irssi.press("Enter");
  EXPECT_EQ(bob->read_line(), "* alicia left (see you)\n");
  EXPECT_EQ(wendy->read_text(), "* alicia left (see you)");
}

// weechat-headless, told what to do through its FIFO, what it shows read from its logs.
class Weechat {
 public:
  // `server_options`: more of /server add's, such as "-sasl_username=u -sasl_password=p".
  Weechat(std::uint16_t port, const std::string& nick, const std::string& server_options = "") {
    process_ = std::make_unique<ClientProcess>(
        "weechat-headless", std::vector<std::string>{"--dir", dir_.path().string(), "-r",
        "/set logger.file.flush_delay 0;/set irc.server_default.nicks " + nick + ";/server add cr 127.0.0.1/" +
            std::to_string(port) + " -notls " + server_options + ";/connect cr"});
  }
  // Sends `text` (a command, or a line to say) to `buffer` ("irc.cr.#lobby"); false if
  // weechat's FIFO did not take it.
  bool command(const std::string& buffer, const std::string& text) {
    std::filesystem::path fifo;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (fifo.empty() && std::chrono::steady_clock::now() < deadline) {
      for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
        if (entry.path().filename().string().starts_with("weechat_fifo_")) fifo = entry.path();
      }
      if (fifo.empty()) std::this_thread::sleep_for(20ms);
    }
    // Non-blocking: opening a FIFO nobody reads would otherwise wait for ever.
    const UniqueFd writer(::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
    if (!writer) return false;
    const std::string line = buffer + " *" + text + "\n";
    return ::write(writer.get(), line.data(), line.size()) == static_cast<ssize_t>(line.size());
  }

  // Waits until the log of `buffer` holds `text`.
  bool log_shows(const std::string& buffer, const std::string& text, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (log(buffer).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  [[nodiscard]] std::string log(const std::string& buffer) const {
    return read_whole(dir_.path() / "logs" / (buffer + ".weechatlog"));
  }

 private:
  TempDir dir_;
  std::unique_ptr<ClientProcess> process_;
};

TEST(IrcClients, WeechatChatsWithALineClientAndAWebSocketClient) {
  ASSERT_TRUE(program_exists("weechat-headless")) << "weechat-headless is missing: scripts/ensure-deps.sh installs it";
  ThreeListenerDaemon server;
  auto dan = line_client(server, "dan");
  auto wendy = web_client(server, "wendy");
  ASSERT_TRUE(dan->read_line().value_or("").ends_with(" joined\n"));
  ASSERT_TRUE(dan->read_line().value_or("").ends_with(" is now known as wendy\n"));
  Weechat carol(server.irc_port(), "carol");
  EXPECT_EQ(dan->read_line(10s), "* carol joined\n");
  EXPECT_EQ(wendy->read_text(), "* carol joined");
  ASSERT_TRUE(carol.log_shows("irc.cr.#lobby", "carol (carol@chatroomd) has joined #lobby", 5s))
      << carol.log("irc.cr.#lobby");

  dan->send("h\xc3\xa9llo weechat \xe2\x9c\x93\n");
  // dan opened the lobby: weechat shows him as its operator.
  EXPECT_TRUE(carol.log_shows("irc.cr.#lobby", "\t@dan\th\xc3\xa9llo weechat \xe2\x9c\x93\n", 5s))
      << carol.log("irc.cr.#lobby");
  EXPECT_EQ(wendy->read_text(), "<dan>:\th\xc3\xa9llo weechat \xe2\x9c\x93");
  wendy->send_text("web says hi");
  EXPECT_TRUE(carol.log_shows("irc.cr.#lobby", "\twendy\tweb says hi\n", 5s)) << carol.log("irc.cr.#lobby");
  EXPECT_EQ(dan->read_line(), "<wendy>:\tweb says hi\n");

  ASSERT_TRUE(carol.command("irc.cr.#lobby", "hi from weechat \xc3\xa9"));
  EXPECT_EQ(dan->read_line(), "<carol>:\thi from weechat \xc3\xa9\n");
  EXPECT_EQ(wendy->read_text(), "<carol>:\thi from weechat \xc3\xa9");
  ASSERT_TRUE(carol.command("irc.cr.#lobby", "/me juggles"));
  EXPECT_EQ(dan->read_line(), "* carol juggles\n");
  ASSERT_TRUE(carol.command("irc.cr.#lobby", "/msg dan psst"));
  EXPECT_EQ(dan->read_line(), "*carol*:\tpsst\n");
  dan->send("\\msg carol back\n");
  EXPECT_EQ(dan->read_line(), "-> *carol*:\tback\n");
  EXPECT_TRUE(carol.log_shows("irc.cr.dan", "\tdan\tback\n", 5s)) << carol.log("irc.cr.dan");

  // Into a second channel, staying in the first: weechat keeps a buffer for each.
  ASSERT_TRUE(carol.command("irc.cr.#lobby", "/join #den"));
  EXPECT_TRUE(carol.log_shows("irc.cr.#den", "carol (carol@chatroomd) has joined #den", 5s))
      << carol.log("irc.cr.#den");
  ASSERT_TRUE(carol.command("irc.cr.#lobby", "still in the lobby"));
  EXPECT_EQ(dan->read_line(), "<carol>:\tstill in the lobby\n");
  dan->send("\\join den\n");
  EXPECT_EQ(dan->read_line(), "* you joined den (2 here)\n");
  EXPECT_TRUE(carol.log_shows("irc.cr.#den", "dan (dan@chatroomd) has joined #den", 5s)) << carol.log("irc.cr.#den");
  ASSERT_TRUE(carol.command("irc.cr.#den", "/nick caroline"));
  EXPECT_EQ(dan->read_line(), "* carol is now known as caroline\n");
  ASSERT_TRUE(carol.command("irc.cr.#den", "/quit so long"));
  EXPECT_EQ(dan->read_line(), "* caroline left (so long)\n");
}

TEST(IrcClients, WeechatLogsInWithSaslPlainOnAServerWithAPassword) {
  ASSERT_TRUE(program_exists("weechat-headless")) << "weechat-headless is missing: scripts/ensure-deps.sh installs it";
  TempDir dir;
  std::ofstream(dir.file("password")) << "open-sesame\n";  // no space: weechat's /server add splits there
  DaemonProcess server({"--irc-port", "0", "--irc-port-file", dir.file("irc-port"), "--password-file",
                        dir.file("password"), "--announce-max-room", "200"});
  const auto irc_port = static_cast<std::uint16_t>(std::stoi(read_whole(dir.file("irc-port"))));
  Weechat wrong(irc_port, "mallory", "-sasl_username=mallory -sasl_password=guess");
  EXPECT_TRUE(wrong.log_shows("irc.server.cr", "SASL authentication failed", 10s)) << wrong.log("irc.server.cr");
  Weechat carol(irc_port, "carol", "-sasl_mechanism=plain -sasl_username=carol -sasl_password=open-sesame");
  EXPECT_TRUE(carol.log_shows("irc.server.cr", "SASL authentication successful", 10s)) << carol.log("irc.server.cr");
  ASSERT_TRUE(carol.log_shows("irc.cr.#lobby", "carol (carol@chatroomd) has joined #lobby", 5s))
      << carol.log("irc.cr.#lobby");
  // Admitted, it chats with a line client that gave the password its own way.
  TestClient dan(server.port());
  dan.send("\\pass open-sesame\n\\nick dan\n");
  ASSERT_TRUE(read_until_line(dan, "* you are now known as dan\n"));
  ASSERT_TRUE(carol.command("irc.cr.#lobby", "hello through sasl"));
  EXPECT_TRUE(read_until_line(dan, "<carol>:\thello through sasl\n"));
}

TEST(IrcClients, APython3IrcBotAnswersALineClient) {
  ASSERT_EQ(run_shell("/usr/bin/python3 -c 'import irc.client' 2>&1; echo $?"), "0\n")
      << "python3-irc is missing: scripts/ensure-deps.sh installs it";
  ThreeListenerDaemon server;
  auto erin = line_client(server, "erin");
  erin->send("\\join den\n");
  ASSERT_EQ(erin->read_line(), "* you joined den (1 here)\n");
  ClientProcess bot("/usr/bin/python3", {source_file("tests/support/irc_echo_bot.py"), "127.0.0.1",
                                         std::to_string(server.irc_port()), "echobot", "#den"});
  EXPECT_EQ(erin->read_line(10s), "* echobot joined\n");
  EXPECT_EQ(erin->read_line(), "<echobot>:\tready\n");
  erin->send("echo caf\xc3\xa9 au lait\n");
  EXPECT_EQ(erin->read_line(), "<echobot>:\tCAF\xc3\x89 AU LAIT\n");
  erin->send("\\msg echobot quit\n");
  EXPECT_EQ(erin->read_line(), "-> *echobot*:\tquit\n");
  EXPECT_EQ(erin->read_line(), "* echobot left (asked to)\n");
}

}  // namespace
}  // namespace chatroom::testing
