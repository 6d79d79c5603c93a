// The WebSocket layer: the opening handshake, the frame writer, and the transport over a real
// socketpair with frames built by hand (masking, fragments, control frames, limits, closes).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/http_request.hpp"
#include "support/websocket_test_client.hpp"
#include "websocket/origin_policy.hpp"
#include "websocket/websocket_frame_writer.hpp"
#include "websocket/websocket_handshake.hpp"
#include "websocket/websocket_transport.hpp"

namespace chatroom {
namespace {

constexpr std::uint8_t kText = 0x1;
constexpr std::uint8_t kContinuation = 0x0;
constexpr std::uint8_t kBinary = 0x2;
constexpr std::uint8_t kClose = 0x8;
constexpr std::uint8_t kPing = 0x9;
constexpr std::uint8_t kPong = 0xA;

std::string client_frame(std::uint8_t opcode, const std::string& payload, bool final = true, bool masked = true) {
  return testing::websocket_client_frame(opcode, payload, final, masked);
}

std::string close_payload(std::uint16_t code, const std::string& reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xff));
  return payload + reason;
}

using ServerFrame = testing::WebSocketFrame;

// Parses frames as a client would, failing the test on a masked server frame; stops at an
// incomplete frame and leaves it in `bytes`.
std::vector<ServerFrame> parse_server_frames(std::string& bytes) {
  std::vector<ServerFrame> frames;
  while (std::optional<ServerFrame> frame = testing::take_websocket_frame(bytes)) {
    EXPECT_FALSE(frame->masked) << "a server frame must not be masked";
    frames.push_back(std::move(*frame));
  }
  return frames;
}

HttpRequest upgrade_request() {
  HttpRequest request;
  request.method = "GET";
  request.target = "/ws";
  request.upgrade = true;
  request.headers = {{"Host", "127.0.0.1:7080"},
                     {"Upgrade", "websocket"},
                     {"Connection", "keep-alive, Upgrade"},
                     {"Sec-WebSocket-Version", "13"},
                     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  return request;
}

void set_header(HttpRequest& request, const std::string& name, std::optional<std::string> value) {
  std::erase_if(request.headers, [&](const auto& header) { return header.first == name; });
  if (value) request.headers.emplace_back(name, *value);
}

TEST(WebSocketHandshake, AcceptKeyIsTheOneFromRfc6455) {
  EXPECT_EQ(websocket_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, AValidUpgradeIsAnswered101WithTheAcceptKey) {
  const WebSocketUpgradeAnswer answer = answer_websocket_upgrade(upgrade_request(), OriginPolicy());
  ASSERT_TRUE(answer.accepted);
  EXPECT_EQ(answer.response.status, 101);
  const std::string bytes = serialize(answer.response, true, false);
  EXPECT_TRUE(bytes.starts_with("HTTP/1.1 101 Switching Protocols\r\n")) << bytes;
  EXPECT_NE(bytes.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_EQ(bytes.find("Content-Length"), std::string::npos) << "a 101 response has no Content-Length";
  EXPECT_TRUE(bytes.ends_with("\r\n\r\n"));
}

TEST(WebSocketHandshake, BadUpgradesAreRefusedWithTheRightStatus) {
  HttpRequest no_upgrade = upgrade_request();
  set_header(no_upgrade, "Upgrade", std::nullopt);
  EXPECT_EQ(answer_websocket_upgrade(no_upgrade, OriginPolicy()).response.status, 426);

  HttpRequest old_version = upgrade_request();
  set_header(old_version, "Sec-WebSocket-Version", "8");
  const WebSocketUpgradeAnswer version_answer = answer_websocket_upgrade(old_version, OriginPolicy());
  EXPECT_EQ(version_answer.response.status, 426);
  ASSERT_FALSE(version_answer.response.headers.empty());
  EXPECT_EQ(version_answer.response.headers[0].first, "Sec-WebSocket-Version");

  HttpRequest bad_key = upgrade_request();
  set_header(bad_key, "Sec-WebSocket-Key", "not a key");
  EXPECT_EQ(answer_websocket_upgrade(bad_key, OriginPolicy()).response.status, 400);

  HttpRequest post = upgrade_request();
  post.method = "POST";
  EXPECT_EQ(answer_websocket_upgrade(post, OriginPolicy()).response.status, 405);

  for (const HttpRequest& refused : {no_upgrade, old_version, bad_key, post}) {
    EXPECT_FALSE(answer_websocket_upgrade(refused, OriginPolicy()).accepted);
  }
}

TEST(WebSocketHandshake, OriginsAreCheckedAgainstTheHostOrTheAllowList) {
  HttpRequest same_host = upgrade_request();
  set_header(same_host, "Origin", "http://127.0.0.1:7080");
  EXPECT_TRUE(answer_websocket_upgrade(same_host, OriginPolicy()).accepted);

  HttpRequest other_site = upgrade_request();
  set_header(other_site, "Origin", "https://evil.example");
  EXPECT_EQ(answer_websocket_upgrade(other_site, OriginPolicy()).response.status, 403);
  EXPECT_TRUE(answer_websocket_upgrade(other_site, OriginPolicy({"https://evil.example"})).accepted);
  EXPECT_TRUE(answer_websocket_upgrade(other_site, OriginPolicy({"*"})).accepted);
  EXPECT_FALSE(answer_websocket_upgrade(same_host, OriginPolicy({"https://chat.example.org"})).accepted)
      << "an allow-list replaces the same-host default";

  // Not a browser: nothing to protect, and it could claim any origin anyway.
  EXPECT_TRUE(answer_websocket_upgrade(upgrade_request(), OriginPolicy({"https://chat.example.org"})).accepted);
}

TEST(WebSocketFrameWriter, HeadersGrowWithThePayload) {
  EXPECT_EQ(WebSocketFrameWriter::header_size(0), 2U);
  EXPECT_EQ(WebSocketFrameWriter::header_size(125), 2U);
  EXPECT_EQ(WebSocketFrameWriter::header_size(126), 4U);
  EXPECT_EQ(WebSocketFrameWriter::header_size(65535), 4U);
  EXPECT_EQ(WebSocketFrameWriter::header_size(65536), 10U);
}

// Writes the queue through the writer, the "kernel" taking `step` bytes per write.
std::string write_through(OutputQueue& queue, std::string own, std::size_t step, std::size_t* writes = nullptr) {
  WebSocketFrameWriter writer;
  std::vector<char> staging(4096);
  std::string wire;
  std::size_t own_sent = 0;
  std::size_t count = 0;
  while (!queue.empty() || own_sent < own.size()) {
    iovec iovecs[8];
    const std::string_view own_left = std::string_view(own).substr(own_sent);
    const WebSocketFrameWriter::Described described = writer.describe(own_left, queue, iovecs, staging);
    std::string batch;
    for (std::size_t i = 0; i < described.iovecs; ++i) {
      batch.append(static_cast<const char*>(iovecs[i].iov_base), iovecs[i].iov_len);
    }
    EXPECT_EQ(batch.size(), described.wire_bytes);
    EXPECT_GT(batch.size(), 0U);
    if (batch.empty()) break;
    const std::size_t taken_bytes = std::min(step, batch.size());
    wire.append(batch, 0, taken_bytes);
    const WebSocketFrameWriter::Taken taken = writer.account(taken_bytes, described, own_left, queue);
    own_sent += taken.own_bytes;
    queue.consume(taken.queue_bytes);
    ++count;
  }
  if (writes != nullptr) *writes = count;
  return wire;
}

TEST(WebSocketFrameWriter, EachLineBecomesOneUnmaskedTextFrameHoweverTheWritesAreCut) {
  const std::string long_line(70'000, 'x');
  const std::string medium_line(300, 'm');
  for (const std::size_t step : {1UL, 2UL, 3UL, 7UL, 100UL, 4096UL, 1UL << 20}) {
    OutputQueue queue;
    queue.push(SharedBytes::copy_of("hello\n"));
    queue.push(SharedBytes::copy_of("two\nlines\n"));
    queue.push(SharedBytes::copy_of("\n"));  // an empty line is an empty frame
    queue.push(SharedBytes::copy_of(medium_line + "\n"));
    queue.push(SharedBytes::copy_of(long_line + "\n"));
    queue.push(SharedBytes::copy_of("no newline at the end"));
    std::string wire = write_through(queue, "OWN", step);
    EXPECT_TRUE(queue.empty());
    ASSERT_TRUE(wire.starts_with("OWN")) << "own output goes first, between frames";
    wire.erase(0, 3);
    const std::vector<ServerFrame> frames = parse_server_frames(wire);
    EXPECT_TRUE(wire.empty()) << "step " << step << ": bytes left after the last whole frame";
    const std::vector<std::string> expected = {"hello", "two", "lines", "", medium_line, long_line, "no newline at the end"};
    ASSERT_EQ(frames.size(), expected.size()) << "step " << step;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      EXPECT_TRUE(frames[i].final);
      EXPECT_EQ(frames[i].opcode, kText);
      EXPECT_EQ(frames[i].payload, expected[i]) << "frame " << i << ", step " << step;
    }
  }
}

TEST(WebSocketFrameWriter, ABroadcastIsFramedFromTheSharedBytesNotCopiedPerRecipient) {
  // Long payloads are described where they are: the iovec points into the shared chunk.
  const SharedBytes line = SharedBytes::copy_of(std::string(2000, 'b') + "\n");
  OutputQueue queue;
  queue.push(line);
  WebSocketFrameWriter writer;
  std::vector<char> staging(4096);
  iovec iovecs[4];
  ASSERT_EQ(writer.describe({}, queue, iovecs, staging).iovecs, 2U);
  EXPECT_EQ(iovecs[0].iov_len, 4U);  // the header, staged
  EXPECT_EQ(iovecs[1].iov_base, line.data());
  EXPECT_EQ(iovecs[1].iov_len, 2000U);
}

// A transport over a socketpair; the test plays the browser on the other end.
class WebSocketTransportTest : public ::testing::Test {
 protected:
  void SetUp() override { open(WebSocketLimits{}); }

  void open(const WebSocketLimits& limits, std::string unread_input = {}) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    client_ = UniqueFd(fds[1]);
    transport_.emplace(UniqueFd(fds[0]), "HANDSHAKE\r\n\r\n", std::move(unread_input), limits);
  }

  void client_sends(const std::string& bytes) {
    ASSERT_EQ(::send(client_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  // Everything the transport hands up until it would block (or ends); `outcome` is the last.
  std::string receive_all(IoResult* outcome = nullptr) {
    std::string lines;
    char buffer[64];
    while (true) {
      const IoResult result = transport_->receive(buffer);
      if (!result.is_transferred()) {
        if (outcome != nullptr) *outcome = result;
        return lines;
      }
      lines.append(buffer, result.bytes);
    }
  }

  // Writes the transport's own output and `queue`, then returns the frames the client gets
  // (after the handshake response, which must come first).
  std::vector<ServerFrame> client_receives(OutputQueue& queue) {
    std::vector<char> staging(4096);
    while (transport_->has_output_of_its_own() || !queue.empty()) {
      const IoResult sent = transport_->send(queue, staging);
      if (!sent.is_transferred()) break;
      queue.consume(sent.bytes);
    }
    char buffer[65536];
    const ssize_t n = ::recv(client_.get(), buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n > 0) received_.append(buffer, static_cast<std::size_t>(n));
    if (!handshake_seen_) {
      EXPECT_TRUE(received_.starts_with("HANDSHAKE\r\n\r\n")) << received_;
      received_.erase(0, 13);
      handshake_seen_ = true;
    }
    return parse_server_frames(received_);
  }
  std::vector<ServerFrame> client_receives() {
    OutputQueue nothing;
    return client_receives(nothing);
  }

  UniqueFd client_;
  std::optional<WebSocketTransport> transport_;
  std::string received_;
  bool handshake_seen_ = false;
};

TEST_F(WebSocketTransportTest, MaskedTextFramesBecomeLinesAndAreWrittenBackAsFrames) {
  client_sends(client_frame(kText, "hello") + client_frame(kText, "second line"));
  IoResult outcome;
  EXPECT_EQ(receive_all(&outcome), "hello\nsecond line\n");
  EXPECT_TRUE(outcome.is_would_block());

  OutputQueue queue;
  queue.push(SharedBytes::copy_of("<127.0.0.1:1>:\thello\n"));
  const std::vector<ServerFrame> frames = client_receives(queue);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].opcode, kText);
  EXPECT_EQ(frames[0].payload, "<127.0.0.1:1>:\thello");
}

TEST_F(WebSocketTransportTest, FramesSentWithTheUpgradeRequestAreReadFirst) {
  open(WebSocketLimits{}, client_frame(kText, "early"));
  client_sends(client_frame(kText, "later"));
  EXPECT_EQ(receive_all(), "early\nlater\n");
}

TEST_F(WebSocketTransportTest, AnUnmaskedClientFrameIsAProtocolErrorClosedWith1002) {
  client_sends(client_frame(kText, "not masked", true, false));
  IoResult outcome;
  EXPECT_EQ(receive_all(&outcome), "");
  ASSERT_TRUE(outcome.is_failed());
  EXPECT_EQ(outcome.failure, IoFailure::BrokeWebSocket);
  const std::vector<ServerFrame> frames = client_receives();
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].opcode, kClose);
  EXPECT_EQ(frames[0].close_code(), 1002);
}

TEST_F(WebSocketTransportTest, AFragmentedMessageWithAPingBetweenItsFragmentsIsOneLineAndThePingIsAnswered) {
  client_sends(client_frame(kText, "frag", false));
  client_sends(client_frame(kPing, "are you there"));
  client_sends(client_frame(kContinuation, "men", false));
  client_sends(client_frame(kContinuation, "ted", true));
  EXPECT_EQ(receive_all(), "fragmented\n");
  EXPECT_TRUE(transport_->has_output_of_its_own()) << "the pong waits to be written";
  const std::vector<ServerFrame> frames = client_receives();
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].opcode, kPong);
  EXPECT_EQ(frames[0].payload, "are you there");
}

TEST_F(WebSocketTransportTest, AUtf8CharacterSplitAcrossFragmentsIsAccepted) {
  client_sends(client_frame(kText, "caf\xc3", false));
  client_sends(client_frame(kContinuation, "\xa9", true));
  EXPECT_EQ(receive_all(), "caf\xc3\xa9\n");
}

TEST_F(WebSocketTransportTest, InvalidUtf8ClosesWith1007) {
  client_sends(client_frame(kText, "ok"));
  client_sends(client_frame(kText, "bad \xff byte"));
  IoResult outcome;
  EXPECT_EQ(receive_all(&outcome), "ok\n");
  ASSERT_TRUE(outcome.is_failed());
  const std::vector<ServerFrame> frames = client_receives();
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].opcode, kClose);
  EXPECT_EQ(frames[0].close_code(), 1007);
  EXPECT_EQ(transport_->close_code_sent(), 1007);
}

TEST_F(WebSocketTransportTest, AMessagePastTheLimitClosesWith1009EvenInFragments) {
  open(WebSocketLimits{16});
  client_sends(client_frame(kText, std::string(16, 'a')));
  client_sends(client_frame(kText, std::string(10, 'b'), false));
  client_sends(client_frame(kContinuation, std::string(10, 'c'), true));
  IoResult outcome;
  EXPECT_EQ(receive_all(&outcome), std::string(16, 'a') + "\n");
  ASSERT_TRUE(outcome.is_failed());
  const std::vector<ServerFrame> frames = client_receives();
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].close_code(), 1009);
}

TEST_F(WebSocketTransportTest, ABinaryMessageClosesWith1003) {
  client_sends(client_frame(kBinary, "\x01\x02"));
  IoResult outcome;
  receive_all(&outcome);
  ASSERT_TRUE(outcome.is_failed());
  const std::vector<ServerFrame> frames = client_receives();
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].close_code(), 1003);
}

TEST_F(WebSocketTransportTest, TheClientsCloseIsAnsweredAndReadsAsTheEndOfTheStream) {
  client_sends(client_frame(kText, "last words") + client_frame(kClose, close_payload(1000, "bye")));
  IoResult outcome;
  EXPECT_EQ(receive_all(&outcome), "last words\n");
  EXPECT_TRUE(outcome.is_end_of_file());
  const std::vector<ServerFrame> frames = client_receives();
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].opcode, kClose);
  EXPECT_EQ(frames[0].close_code(), 1000);
}

TEST_F(WebSocketTransportTest, AFarewellIsACloseFrameWithCodeAndReasonAfterTheQueuedLines) {
  OutputQueue queue;
  queue.push(SharedBytes::copy_of("\\close\n"));
  std::vector<ServerFrame> frames = client_receives(queue);
  transport_->say_farewell(Farewell{1001, "server shutting down"});
  for (ServerFrame& frame : client_receives()) frames.push_back(std::move(frame));
  ASSERT_EQ(frames.size(), 2U);
  EXPECT_EQ(frames[0].payload, "\\close");
  EXPECT_EQ(frames[1].opcode, kClose);
  EXPECT_EQ(frames[1].close_code(), 1001);
  EXPECT_EQ(frames[1].payload.substr(2), "server shutting down");
}

TEST_F(WebSocketTransportTest, APingProbeFindsASilentPeerOnlyAfterAWholeIntervalWithoutAWord) {
  EXPECT_EQ(transport_->probe_liveness(), Liveness::Alive);  // nothing expected before the first ping
  std::vector<ServerFrame> frames = client_receives();
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0].opcode, kPing);
  client_sends(client_frame(kPong, ""));
  receive_all();
  EXPECT_EQ(transport_->probe_liveness(), Liveness::Alive);
  EXPECT_EQ(transport_->probe_liveness(), Liveness::Silent);
}

}  // namespace
}  // namespace chatroom
