// chatroomd's HTTP listener: /healthz, /metrics (read back with prometheus_client's parser),
// errors, limits, keep-alive, and a daemon that survives bad HTTP.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/http_daemon.hpp"
#include "support/tls_test_client.hpp"
#include "support/test_certificates.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"
#include "support/websocket_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Reads one response (head, then Content-Length bytes of body); status 0 if none came.
Response read_response(TestClient& client) {
  Response response;
  const auto status_line = client.read_line(5s);
  if (!status_line || status_line->rfind("HTTP/1.1 ", 0) != 0) return response;
  response.status = std::stoi(status_line->substr(9, 3));
  for (;;) {
    const auto line = client.read_line(5s);
    if (!line || *line == "\r\n") break;
    const std::size_t colon = line->find(':');
    std::string name = line->substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    response.headers[name] = line->substr(colon + 2, line->size() - colon - 4);
  }
  const std::size_t length = std::stoul(response.headers["content-length"]);
  while (response.body.size() < length) {
    const auto line = client.read_line(5s);
    if (!line) break;
    response.body += *line;
  }
  return response;
}

Response request(std::uint16_t port, const std::string& bytes) {
  TestClient client(port, "127.0.0.1", false);
  client.send(bytes);
  return read_response(client);
}

Response get(std::uint16_t port, const std::string& path) {
  return request(port, "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
}

// /metrics as prometheus_client's parser reads it: sample ("name" or "name{label=\"v\"}") to
// value, and family to type. Fails the test if the parser refuses the text.
struct ParsedMetrics {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
};

ParsedMetrics parse_metrics(const std::string& exposition) {
  TempDir dir;
  std::ofstream(dir.file("metrics")) << exposition;
  const CommandOutcome parsed = run_command(
      {"/usr/bin/python3", std::string(CHATROOM_SOURCE_DIR) + "/tests/support/parse_metrics.py", dir.file("metrics")});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.output << "\n" << exposition;
  ParsedMetrics metrics;
  std::istringstream lines(parsed.output);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t space = line.rfind(' ');
    if (line.rfind("# ", 0) == 0) {
      metrics.types[line.substr(2, space - 2)] = line.substr(space + 1);
    } else if (space != std::string::npos) {
      metrics.samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
  }
  return metrics;
}

TEST(Http, MetricsAfterAKnownScenarioParseWithPrometheusClientAndCountWhatHappened) {
  HttpDaemon server({"--max-line", "50"});
  TestClient alice(server.chat_port());
  TestClient bob(server.chat_port());
  TestClient carol(server.chat_port());
  WebSocketTestClient web(server.http_port());
  ASSERT_TRUE(web.read_response_head().starts_with("HTTP/1.1 101 "));
  ASSERT_TRUE(web.read_text().has_value());  // the welcome
  {
    // One more that breaks the protocol and is closed for it.
    WebSocketTestClient broken(server.http_port());
    ASSERT_TRUE(broken.read_response_head().starts_with("HTTP/1.1 101 "));
    broken.send_raw(websocket_client_frame(WebSocketTestClient::kText, "\xff"));
    std::optional<WebSocketFrame> frame;
    while ((frame = broken.read_frame()) && frame->opcode != WebSocketTestClient::kClose) {
    }
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(frame->close_code(), 1007);
  }
  alice.send("one\ntwo\n");
  for (TestClient* reader : {&bob, &carol}) {
    EXPECT_EQ(reader->read_line(), chat_line(alice, "one"));
    EXPECT_EQ(reader->read_line(), chat_line(alice, "two"));
  }
  EXPECT_EQ(web.read_text(), "<" + alice.name() + ">:\tone");
  EXPECT_EQ(web.read_text(), "<" + alice.name() + ">:\ttwo");
  alice.send(std::string(80, 'x') + "\n");
  EXPECT_EQ(alice.read_line(), "! line too long (limit 50 bytes)\n");
  EXPECT_EQ(get(server.http_port(), "/healthz").status, 200);

  const Response response = get(server.http_port(), "/metrics");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const ParsedMetrics metrics = parse_metrics(response.body);
  const auto value = [&](const std::string& sample) {
    const auto found = metrics.samples.find(sample);
    EXPECT_NE(found, metrics.samples.end()) << sample << " missing from\n" << response.body;
    return found == metrics.samples.end() ? -1.0 : found->second;
  };
  EXPECT_EQ(value("chatroomd_clients"), 4);
  EXPECT_EQ(value("chatroomd_connections_accepted_total"), 5);
  EXPECT_EQ(value("chatroomd_rooms"), 1);
  EXPECT_EQ(value("chatroomd_lines_in_total"), 2);
  EXPECT_EQ(value("chatroomd_deliveries_total"), 6);
  EXPECT_EQ(value("chatroomd_websocket_clients"), 1);
  EXPECT_EQ(value("chatroomd_websocket_connections_total"), 2);
  EXPECT_EQ(value("chatroomd_websocket_closed_total{reason=\"protocol_error\"}"), 1);
  EXPECT_EQ(value("chatroomd_websocket_closed_total{reason=\"no_pong\"}"), 0);
  EXPECT_EQ(value("chatroomd_http_responses_total{code=\"101\"}"), 2);
  EXPECT_EQ(value("chatroomd_lines_too_long_total"), 1);
  EXPECT_EQ(value("chatroomd_refused_connections_total{cause=\"server_full\"}"), 0);
  EXPECT_EQ(value("chatroomd_http_responses_total{code=\"200\"}"), 1);  // the /healthz
  EXPECT_GT(value("chatroomd_received_bytes_total"), 80);
  EXPECT_GT(value("chatroomd_loop_turns_total"), 0);
  EXPECT_GE(value("chatroomd_loop_busiest_turn_seconds"), 0);
  EXPECT_EQ(value("chatroomd_write_rests_total"), 0) << "four clients are not a large room";
  EXPECT_EQ(value("chatroomd_write_rest_seconds_total"), 0);
  EXPECT_GT(value("process_open_fds"), 3);
  EXPECT_EQ(metrics.types.at("chatroomd_deliveries"), "counter");  // the parser drops "_total"
  EXPECT_EQ(metrics.types.at("chatroomd_clients"), "gauge");
  // Every family has its HELP and TYPE lines.
  std::size_t helps = 0;
  std::size_t types = 0;
  for (std::size_t at = 0; (at = response.body.find("# HELP ", at)) != std::string::npos; ++at) ++helps;
  for (std::size_t at = 0; (at = response.body.find("# TYPE ", at)) != std::string::npos; ++at) ++types;
  EXPECT_EQ(helps, types);
  EXPECT_EQ(types, metrics.types.size());
}

TEST(Http, AClientThatBreaksTlsIsCountedAndLoggedAsATlsErrorNeverAsAWebSocketOne) {
  TempDir dir;
  HttpDaemon server({"--tls-cert", TestCertificates::get().server().certificate, "--tls-key",
                     TestCertificates::get().server().key, "--tls-port", "0", "--tls-port-file", dir.file("tls-port")});
  const auto tls_port = static_cast<std::uint16_t>(std::stoi(read_file(dir.file("tls-port"))));
  {
    TlsTestClient breaker(tls_port, TestCertificates::get().ca());
    // An application-data record that was never encrypted: OpenSSL cannot accept it.
    breaker.send_raw(std::string("\x17\x03\x03\x00\x10 not encrypted!", 21));
    EXPECT_TRUE(breaker.read_until_eof(5s).has_value()) << "the server closes a client that broke TLS";
  }
  ASSERT_TRUE(server.daemon().wait_for_log("it broke the TLS protocol", 5s)) << server.daemon().log();
  const ParsedMetrics metrics = parse_metrics(get(server.http_port(), "/metrics").body);
  EXPECT_EQ(metrics.samples.at("chatroomd_tls_closed_total{reason=\"protocol_error\"}"), 1);
  EXPECT_EQ(metrics.samples.at("chatroomd_websocket_closed_total{reason=\"protocol_error\"}"), 0);
  EXPECT_EQ(server.daemon().log().find("WebSocket client "), std::string::npos)
      << "a line about a WebSocket client: " << server.daemon().log();
}

TEST(Http, UnknownPathsAre404AndOtherMethods405) {
  HttpDaemon server;
  EXPECT_EQ(get(server.http_port(), "/nothing-here").status, 404);
  const Response posted = request(server.http_port(),
                                  "POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
  EXPECT_EQ(posted.status, 405);
  EXPECT_EQ(posted.headers.at("allow"), "GET, HEAD");
  const Response head = request(server.http_port(), "HEAD /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.status, 200);
}

TEST(Http, BadRequestsGet4xxAndACloseWhileTheDaemonServesOn) {
  HttpDaemon server({"--http-max-request", "1KiB", "--http-max-headers", "10"});
  struct Case {
    std::string bytes;
    int status;
  };
  std::string many_headers = "GET /healthz HTTP/1.1\r\n";
  for (int i = 0; i < 20; ++i) many_headers.append("X-").append(std::to_string(i)).append(": v\r\n");
  const std::vector<Case> cases{
      {"this is not HTTP\r\n\r\n", 400},
      {"GET /healthz HTTP/1.1\r\nX-Big: " + std::string(4000, 'b') + "\r\n\r\n", 431},
      {many_headers + "\r\n", 431},
      {"POST /metrics HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, 'p'), 413},
  };
  for (const Case& each : cases) {
    TestClient client(server.http_port(), "127.0.0.1", false);
    client.send(each.bytes);
    EXPECT_EQ(read_response(client).status, each.status) << each.bytes.substr(0, 40);
    EXPECT_TRUE(client.read_until_eof(5s)) << "not closed after " << each.status;
  }
  EXPECT_EQ(get(server.http_port(), "/healthz").status, 200);
  TestClient alice(server.chat_port());
  TestClient bob(server.chat_port());
  alice.send("still chatting\n");
  EXPECT_EQ(bob.read_line(), chat_line(alice, "still chatting"));
}

TEST(Http, KeepAliveServesSeveralRequestsOnOneConnectionAndHttp10Closes) {
  HttpDaemon server;
  TestClient client(server.http_port(), "127.0.0.1", false);
  // Three requests at once (pipelined), answered in order on the same connection.
  client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
              "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
  const Response first = read_response(client);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.headers.at("connection"), "keep-alive");
  EXPECT_EQ(read_response(client).status, 404);
  EXPECT_EQ(read_response(client).status, 200);
  client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(read_response(client).status, 200);

  TestClient old(server.http_port(), "127.0.0.1", false);
  old.send("GET /healthz HTTP/1.0\r\n\r\n");
  const Response answer = read_response(old);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.headers.at("connection"), "close");
  EXPECT_TRUE(old.read_until_eof(5s));
}

TEST(Http, AnIncompleteRequestGets408AtTheRequestTimeoutAndAnIdleOneIsClosed) {
  HttpDaemon server({"--http-request-timeout", "1"});
  TestClient slow(server.http_port(), "127.0.0.1", false);
  TestClient idle(server.http_port(), "127.0.0.1", false);
  slow.send("GET /healthz HTTP/1.1\r\nHost: t\r\n");
  const auto started = Clock::now();
  EXPECT_EQ(read_response(slow).status, 408);
  EXPECT_TRUE(slow.read_until_eof(5s));
  EXPECT_GT(Clock::now() - started, 700ms);
  EXPECT_EQ(idle.read_until_eof(5s), "");  // closed without a word
}

TEST(Http, PastMaxConnectionsANewClientGets503) {
  HttpDaemon server({"--http-max-connections", "2"});
  TestClient one(server.http_port(), "127.0.0.1", false);
  TestClient two(server.http_port(), "127.0.0.1", false);
  one.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(read_response(one).status, 200);  // both are surely accepted by now
  TestClient three(server.http_port(), "127.0.0.1", false);
  EXPECT_EQ(read_response(three).status, 503);
  two.close();
  one.close();
  // Closed connections are let go at the end of the loop's turn; the next client gets in.
  Response later;
  for (int attempt = 0; attempt < 50 && later.status != 200; ++attempt) {
    later = get(server.http_port(), "/healthz");
    if (later.status != 200) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(later.status, 200);
}

TEST(Http, HealthzIs503WhileShuttingDown) {
  // A client that reads nothing keeps the graceful shutdown waiting for its output.
  // 12 MB for it: more than the kernel's buffers hold, less than its --max-output.
  HttpDaemon server({"--shutdown-timeout", "10", "--soft-max-output", "0", "--max-output", "64MiB", "--max-line",
                     "8KiB"});
  TestClient stalled(server.chat_port());
  stalled.set_receive_buffer(4096);
  TestClient talker(server.chat_port());
  const std::string line = std::string(4000, 's') + "\n";
  for (int i = 0; i < 3000; ++i) talker.send(line);
  TestClient keeper(server.http_port(), "127.0.0.1", false);  // connected before: the listener stays open
  keeper.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(read_response(keeper).status, 200);
  server.daemon().send_signal(SIGTERM);
  ASSERT_TRUE(server.daemon().wait_for_log("shutting down", 5s)) << server.daemon().log();
  keeper.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  const Response during = read_response(keeper);
  EXPECT_EQ(during.status, 503);
  EXPECT_EQ(during.body, "shutting down\n");
}

TEST(Http, TheListenerIsOffUnlessAPortIsGiven) {
  DaemonProcess daemon;
  EXPECT_EQ(daemon.log().find("serving HTTP"), std::string::npos) << daemon.log();
  const CommandOutcome refused = run_command({chatroomd_path(), "--port", "0", "--no-console", "--http-host", "::1"});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
}

}  // namespace
}  // namespace chatroom::testing
