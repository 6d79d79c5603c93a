// The WebSocket transport over a real socketpair with frames built by hand: masking, fragments,
// control frames, limits, closes.
#include "websocket/websocket_transport.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/websocket_test_client.hpp"

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
