// The frame writer: text-frame headers staged beside the shared bytes, however the kernel cuts the writes.
#include "websocket/websocket_frame_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/websocket_test_client.hpp"

namespace chatroom {
namespace {

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
      EXPECT_EQ(frames[i].opcode, testing::WebSocketTestClient::kText);
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

}  // namespace
}  // namespace chatroom
