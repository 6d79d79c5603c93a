// Chat over WebSocket on the HTTP listener: a python3-websockets client, our terminal client
// and raw TCP clients talking to each other; slow consumers; bad upgrades and bad frames;
// Origin checks; pings; kick and shutdown close frames; and a daemon that serves on.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/client_process.hpp"
#include "support/daemon_process.hpp"
#include "support/http_daemon.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"
#include "support/websocket_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string source_file(const std::string& relative) { return std::string(CHATROOM_SOURCE_DIR) + "/" + relative; }

// The python3-websockets client (Debian's python, which has the package).
std::unique_ptr<ClientProcess> python_client(const HttpDaemon& server, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{source_file("tests/support/ws_chat_client.py"), server.websocket_url()};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<ClientProcess>("/usr/bin/python3", args);
}

// A raw WebSocket client that completed the upgrade, its welcome line read.
std::unique_ptr<WebSocketTestClient> upgraded_client(const HttpDaemon& server) {
  auto client = std::make_unique<WebSocketTestClient>(server.http_port());
  const std::string head = client->read_response_head();
  EXPECT_TRUE(head.starts_with("HTTP/1.1 101 ")) << head;
  const auto welcome = client->read_text();
  EXPECT_TRUE(welcome && welcome->starts_with("connected to chat room at : ")) << welcome.value_or("(nothing)");
  return client;
}

std::string console_reply(DaemonProcess& daemon, const std::string& command, const std::string& marker) {
  daemon.write_console(command + "\n");
  EXPECT_TRUE(daemon.wait_for_log(marker, 5s)) << daemon.log();
  return daemon.log();
}

TEST(WebSocket, APythonClientChatsWithARawTcpClientAndTheTerminalClientInBothDirections) {
  HttpDaemon server({"--announce-max-room", "200"});
  TestClient tcp(server.chat_port());
  ClientProcess terminal({"127.0.0.1", std::to_string(server.chat_port())});
  ASSERT_TRUE(terminal.wait_for_output("connected to chat room at", 10s)) << terminal.output();
  auto browserless = python_client(server);
  ASSERT_TRUE(browserless->wait_for_output("ws got: connected to chat room at : 127.0.0.1:", 10s))
      << browserless->output();

  browserless->type("\\nick webby\n");
  ASSERT_TRUE(browserless->wait_for_output("ws got: * you are now known as webby", 5s)) << browserless->output();
  browserless->type("hello from the web\n");
  std::string heard;
  for (int i = 0; i < 8 && heard.find("hello from the web") == std::string::npos; ++i) heard += tcp.read_line(5s).value_or("");
  EXPECT_NE(heard.find("<webby>:\thello from the web\n"), std::string::npos) << heard;
  EXPECT_TRUE(terminal.wait_for_output("hello from the web", 5s)) << terminal.output();

  tcp.send("hi from tcp\n");
  EXPECT_TRUE(browserless->wait_for_output("ws got: <" + tcp.name() + ">:\thi from tcp", 5s)) << browserless->output();
  terminal.type("hi from the terminal\n");
  EXPECT_TRUE(browserless->wait_for_output(">:\thi from the terminal", 5s)) << browserless->output();

  // Commands, private messages and rooms work as for anyone.
  tcp.send("\\nick tcpuser\n");
  browserless->type("\\msg tcpuser psst\n");
  heard.clear();
  for (int i = 0; i < 8 && heard.find("psst") == std::string::npos; ++i) heard += tcp.read_line(5s).value_or("");
  EXPECT_NE(heard.find("*webby*:\tpsst\n"), std::string::npos) << heard;
  EXPECT_TRUE(browserless->wait_for_output("ws got: -> *tcpuser*:\tpsst", 5s)) << browserless->output();
  browserless->type("\\who\n");
  EXPECT_TRUE(browserless->wait_for_output("ws got: * in lobby (3): ", 5s)) << browserless->output();

  // Leaving with \close ends the socket with a normal close.
  browserless->type("\\close\n");
  EXPECT_TRUE(browserless->wait_for_output("ws closed: 1000", 5s)) << browserless->output();
  heard.clear();
  for (int i = 0; i < 8 && heard.find("webby left") == std::string::npos; ++i) heard += tcp.read_line(5s).value_or("");
  EXPECT_NE(heard.find("* webby left"), std::string::npos) << heard;
}

TEST(WebSocket, AWebSocketClientPassesThePasswordGateAndFloodControlLikeAnyOther) {
  TempDir dir;
  std::ofstream(dir.file("password")) << "open sesame\n";
  HttpDaemon server({"--password-file", dir.file("password"), "--rate-limit", "5", "--rate-burst", "5"});
  DaemonProcess& daemon = server.daemon();
  ClientProcess browserless("/usr/bin/python3", {source_file("tests/support/ws_chat_client.py"), server.websocket_url()});
  ASSERT_TRUE(browserless.wait_for_output("ws got: * this chat room needs a password: send \\pass PASSWORD", 10s))
      << browserless.output();
  TestClient tcp(daemon.port());
  EXPECT_EQ(tcp.read_line(), "* this chat room needs a password: send \\pass PASSWORD\n");
  tcp.send("\\pass open sesame\n");
  EXPECT_EQ(tcp.read_line(), "* password accepted\n");
  browserless.type("hello before the password\n");
  EXPECT_TRUE(browserless.wait_for_output("ws got: ! password required: send \\pass PASSWORD first", 5s))
      << browserless.output();
  browserless.type("\\pass open sesame\n");
  EXPECT_TRUE(browserless.wait_for_output("ws got: * password accepted", 5s)) << browserless.output();

  // A burst of 5, then lines are dropped and the client told once.
  for (int i = 0; i < 12; ++i) browserless.type("line " + std::to_string(i) + "\n");
  EXPECT_TRUE(browserless.wait_for_output("ws got: ! slow down: lines dropped", 5s)) << browserless.output();
  std::string heard;
  while (const auto line = tcp.read_line(1s)) heard += *line;
  EXPECT_NE(heard.find(">:\tline 0\n"), std::string::npos) << heard;
  EXPECT_EQ(heard.find(">:\tline 11\n"), std::string::npos) << "flood control let everything through: " << heard;
}

TEST(WebSocket, Utf8AndBrokenBytesCrossBetweenTcpAndWebSocketAsValidTextInBothDirections) {
  HttpDaemon server;
  TestClient tcp(server.chat_port());
  auto web = upgraded_client(server);
  auto strict = python_client(server);  // the library closes with 1007 on a text frame that is not UTF-8
  ASSERT_TRUE(strict->wait_for_output("ws got: connected to chat room", 10s)) << strict->output();

  // Typed by a user: accents, a check mark, CJK, an emoji, all byte for byte.
  const std::string typed = "gr\xC3\xBC\xC3\x9F" "e \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80";
  web->send_text(typed);
  EXPECT_EQ(tcp.read_line(5s), "<" + web->socket().name() + ">:\t" + typed + "\n");
  tcp.send(typed + "\n");
  EXPECT_EQ(web->read_text(), "<" + tcp.name() + ">:\t" + typed);

  // From a TCP client that is not UTF-8 at all (a stray byte, a cut sequence) and the console:
  // the sanitiser makes them U+FFFD, so WebSocket clients still get valid text frames.
  tcp.send("bad \xFF byte, cut \xE2\x82 sequence\n");
  const std::string replaced = "bad \xEF\xBF\xBD byte, cut \xEF\xBF\xBD\xEF\xBF\xBD sequence";
  EXPECT_EQ(web->read_text(), "<" + tcp.name() + ">:\t" + replaced);
  server.daemon().write_console("console \xC3 byte\n");
  EXPECT_EQ(web->read_text(), "<server>:\tconsole \xEF\xBF\xBD byte");
  EXPECT_TRUE(strict->wait_for_output("ws got: <server>:\tconsole", 5s)) << strict->output();
  EXPECT_EQ(strict->output().find("ws closed"), std::string::npos) << strict->output();
}

TEST(WebSocket, ASlowWebSocketConsumerIsCutOffWhileWebSocketAndTcpReadersLoseNothing) {
  constexpr int kLines = 4000;  // 5.6 MB: far more than the kernel buffers for the stalled client
  constexpr int kMaxReaderLagLines = 50;
  HttpDaemon server({"--max-output", "256KiB"});
  auto stalled = std::make_unique<WebSocketTestClient>(server.http_port());
  stalled->socket().set_receive_buffer(4096);  // it never reads: keep its window small
  ASSERT_TRUE(stalled->read_response_head().starts_with("HTTP/1.1 101 "));
  auto web_reader = upgraded_client(server);
  TestClient tcp_reader(server.chat_port());
  TestClient sender(server.chat_port());
  const auto text = [](int i) { return std::to_string(i) + std::string(1400, 'w'); };
  std::atomic<int> web_got{0};
  std::atomic<int> tcp_got{0};
  std::thread web([&] {
    for (int i = 0; i < kLines; ++i) {
      if (web_reader->read_text(10s) != "<" + sender.name() + ">:\t" + text(i)) return;
      web_got = i + 1;
    }
  });
  std::thread tcp([&] {
    for (int i = 0; i < kLines; ++i) {
      if (tcp_reader.read_line(10s) != chat_line(sender, text(i))) return;
      tcp_got = i + 1;
    }
  });
  const auto deadline = Clock::now() + 60s;
  for (int i = 0; i < kLines && Clock::now() < deadline; ++i) {
    while (std::min(web_got.load(), tcp_got.load()) < i - kMaxReaderLagLines && Clock::now() < deadline) {
      std::this_thread::sleep_for(100us);
    }
    sender.send(text(i) + "\n");
  }
  web.join();
  tcp.join();
  EXPECT_EQ(web_got, kLines);
  EXPECT_EQ(tcp_got, kLines);
  EXPECT_TRUE(server.daemon().wait_for_log("client " + stalled->socket().name() + " cut off: slow consumer", 5s))
      << server.daemon().log();
}

TEST(WebSocket, BadUpgradesGet4xxAndBadFramesACloseCodeWhileTheDaemonServesOn) {
  HttpDaemon server({"--max-line", "1000"});
  const auto head_of = [&](const std::string& request) {
    TestClient client(server.http_port(), "127.0.0.1", false);
    client.send(request);
    return client.read_line(5s).value_or("");
  };
  const std::string host = "Host: 127.0.0.1:" + std::to_string(server.http_port()) + "\r\n";
  EXPECT_EQ(head_of("GET /ws HTTP/1.1\r\n" + host + "\r\n"), "HTTP/1.1 426 Upgrade Required\r\n");
  EXPECT_EQ(head_of("GET /ws HTTP/1.1\r\n" + host +
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"),
            "HTTP/1.1 426 Upgrade Required\r\n");
  EXPECT_EQ(head_of("GET /ws HTTP/1.1\r\n" + host +
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    "Sec-WebSocket-Key: short\r\n\r\n"),
            "HTTP/1.1 400 Bad Request\r\n");
  EXPECT_EQ(head_of("POST /ws HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n"), "HTTP/1.1 405 Method Not Allowed\r\n");
  EXPECT_EQ(head_of("GET /ws HTTP/1.1\r\nHost\r\n\r\n"), "HTTP/1.1 400 Bad Request\r\n");

  {
    auto bad_utf8 = upgraded_client(server);
    bad_utf8->send_raw(websocket_client_frame(WebSocketTestClient::kText, "caf\xc3("));
    const auto frame = bad_utf8->read_frame();
    ASSERT_TRUE(frame && frame->opcode == WebSocketTestClient::kClose);
    EXPECT_EQ(frame->close_code(), 1007);
    EXPECT_EQ(bad_utf8->socket().read_until_eof(5s), "") << "the server closes after its close frame";
  }
  {
    auto too_big = upgraded_client(server);
    too_big->send_raw(websocket_client_frame(WebSocketTestClient::kText, std::string(1001, 'x')));
    const auto frame = too_big->read_frame();
    ASSERT_TRUE(frame && frame->opcode == WebSocketTestClient::kClose);
    EXPECT_EQ(frame->close_code(), 1009);
  }
  {
    // Half a frame, then gone.
    auto vanished = upgraded_client(server);
    vanished->send_raw(websocket_client_frame(WebSocketTestClient::kText, std::string(500, 'x')).substr(0, 100));
    vanished->socket().reset();
  }
  auto good = upgraded_client(server);
  TestClient tcp(server.chat_port());
  good->send_text("still here");
  EXPECT_EQ(tcp.read_line(5s), "<" + good->socket().name() + ">:\tstill here\n");
  // Two closed for their frames; the one that vanished mid-frame just left.
  console_reply(server.daemon(), "\\stats", "websocket: clients 1 (4 served), closed for protocol errors 2,");
}

TEST(WebSocket, PagesFromOtherOriginsAreRefusedUnlessAllowed) {
  {
    HttpDaemon server;
    const std::string own_origin = "http://127.0.0.1:" + std::to_string(server.http_port());
    auto same = python_client(server, {own_origin});
    EXPECT_TRUE(same->wait_for_output("ws got: connected to chat room", 10s)) << same->output();
    auto other = python_client(server, {"https://evil.example"});
    EXPECT_TRUE(other->wait_for_output("ws refused: 403", 10s)) << other->output();
  }
  {
    HttpDaemon server({"--http-allow-origin", "https://chat.example.org"});
    auto allowed = python_client(server, {"https://chat.example.org"});
    EXPECT_TRUE(allowed->wait_for_output("ws got: connected to chat room", 10s)) << allowed->output();
    const std::string own_origin = "http://127.0.0.1:" + std::to_string(server.http_port());
    auto not_listed = python_client(server, {own_origin});
    EXPECT_TRUE(not_listed->wait_for_output("ws refused: 403", 10s)) << not_listed->output();
  }
}

TEST(WebSocket, PingsKeepAQuietClientThatAnswersAndCutOneThatNeverDoes) {
  HttpDaemon server({"--ws-ping-interval", "0.4"});
  auto answers = python_client(server);  // the library answers pings by itself
  ASSERT_TRUE(answers->wait_for_output("ws got: connected to chat room", 10s)) << answers->output();
  auto silent = std::make_unique<WebSocketTestClient>(server.http_port());
  ASSERT_TRUE(silent->read_response_head().starts_with("HTTP/1.1 101 "));
  const auto started = Clock::now();
  // The silent client sees pings, answers none, and gets a close frame saying why.
  bool saw_ping = false;
  std::optional<WebSocketFrame> frame;
  while ((frame = silent->read_frame(5s)) && frame->opcode != WebSocketTestClient::kClose) {
    saw_ping = saw_ping || frame->opcode == WebSocketTestClient::kPing;
  }
  const auto cut_after = Clock::now() - started;
  EXPECT_TRUE(saw_ping);
  ASSERT_TRUE(frame.has_value()) << "no close frame";
  EXPECT_EQ(frame->close_code(), 1001);
  EXPECT_GE(cut_after, 300ms);
  EXPECT_LE(cut_after, 3s);
  // Well past that, the one that answers is still there and chats.
  std::this_thread::sleep_for(1200ms);
  TestClient tcp(server.chat_port());
  tcp.send("are you there?\n");
  EXPECT_TRUE(answers->wait_for_output("ws got: <" + tcp.name() + ">:\tare you there?", 5s)) << answers->output();
  EXPECT_TRUE(server.daemon().wait_for_log("answered no ping", 2s)) << server.daemon().log();
}

TEST(WebSocket, AKickAndAShutdownEachEndWithACloseFrameCarryingTheReason) {
  HttpDaemon server;
  auto kicked = python_client(server);
  ASSERT_TRUE(kicked->wait_for_output("ws got: connected to chat room", 10s)) << kicked->output();
  kicked->type("\\nick mallory\n");
  ASSERT_TRUE(kicked->wait_for_output("ws got: * you are now known as mallory", 5s)) << kicked->output();
  console_reply(server.daemon(), "\\kick mallory spamming", "kicked mallory");
  EXPECT_TRUE(kicked->wait_for_output("ws got: ! kicked: spamming (by the server)", 5s)) << kicked->output();
  EXPECT_TRUE(kicked->wait_for_output("ws closed: 1008 kicked: spamming (by the server)", 5s)) << kicked->output();

  auto stays = python_client(server);
  ASSERT_TRUE(stays->wait_for_output("ws got: connected to chat room", 10s)) << stays->output();
  server.daemon().send_signal(SIGTERM);
  EXPECT_TRUE(stays->wait_for_output("ws got: \\close\n", 5s)) << stays->output();
  EXPECT_TRUE(stays->wait_for_output("ws closed: 1001 ", 5s)) << stays->output();
  const std::string output = stays->output();
  EXPECT_LT(output.find("ws got: \\close"), output.find("ws closed: 1001")) << "the \\close line comes first";
  EXPECT_TRUE(server.daemon().wait_for_exit(5s).has_value());
}

}  // namespace
}  // namespace chatroom::testing
