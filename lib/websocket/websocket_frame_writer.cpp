// Text frames around queued lines, written with gathered writes.
#include "websocket/websocket_frame_writer.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace chatroom {
namespace {

// Chunks of the queue looked at per write; a write covers at most this many anyway.
constexpr std::size_t kChunksPerWrite = 256;
// FIN set, opcode 1 (text): every line is a whole message.
constexpr unsigned char kFinalTextFrame = 0x81;

// One line of the queue as a frame: its payload runs to the next "\n" (not sent) or to the end
// of its chunk.
struct QueuedFrame {
  const char* payload = nullptr;
  std::size_t payload_bytes = 0;
  bool ends_with_newline = false;
  // What sending it consumes from the queue.
  [[nodiscard]] std::size_t queue_bytes() const { return payload_bytes + (ends_with_newline ? 1 : 0); }
};

// The unsent bytes of a queue, walked frame by frame.
class QueuedFrames {
 public:
  explicit QueuedFrames(const OutputQueue& queue) : count_(queue.gather(chunks_)) {}

  // The queue starts with the rest of a frame cut short, `payload_bytes` of it: steps past it.
  QueuedFrame resume(std::size_t payload_bytes) {
    if (count_ == 0) return {};
    offset_ = payload_bytes;
    const bool newline = offset_ < chunks_[0].iov_len;
    if (newline) ++offset_;
    return {static_cast<const char*>(chunks_[0].iov_base), payload_bytes, newline};
  }

  std::optional<QueuedFrame> next() {
    while (chunk_ < count_ && offset_ == chunks_[chunk_].iov_len) {
      ++chunk_;
      offset_ = 0;
    }
    if (chunk_ == count_) return std::nullopt;
    const char* start = static_cast<const char*>(chunks_[chunk_].iov_base) + offset_;
    const std::size_t rest = chunks_[chunk_].iov_len - offset_;
    const void* newline = std::memchr(start, '\n', rest);
    const QueuedFrame frame = newline == nullptr
                                  ? QueuedFrame{start, rest, false}
                                  : QueuedFrame{start, static_cast<std::size_t>(static_cast<const char*>(newline) - start), true};
    offset_ += frame.queue_bytes();
    return frame;
  }

 private:
  // Left uninitialised: gather() fills what it reports, and zeroing 4 KiB per write would cost
  // more than framing a batch of lines.
  std::array<iovec, kChunksPerWrite> chunks_;
  std::size_t count_;
  std::size_t chunk_ = 0;
  std::size_t offset_ = 0;
};

// Appends to an iovec list, extending the last entry when the bytes follow on from it.
class IovecList {
 public:
  explicit IovecList(std::span<iovec> into) : into_(into) {}
  bool add(const char* data, std::size_t size) {
    if (size == 0) return true;
    bytes_ += size;
    if (filled_ > 0) {
      iovec& last = into_[filled_ - 1];
      if (static_cast<const char*>(last.iov_base) + last.iov_len == data) {
        last.iov_len += size;
        return true;
      }
    }
    if (filled_ == into_.size()) {
      bytes_ -= size;
      return false;
    }
    into_[filled_++] = iovec{const_cast<char*>(data), size};
    return true;
  }
  [[nodiscard]] std::size_t filled() const { return filled_; }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }

 private:
  std::span<iovec> into_;
  std::size_t filled_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace

std::size_t WebSocketFrameWriter::header_size(std::size_t payload_bytes) {
  if (payload_bytes < 126) return 2;
  if (payload_bytes <= 0xffff) return 4;
  return 10;
}

std::size_t WebSocketFrameWriter::write_header(std::size_t payload_bytes, std::span<char> into) {
  into[0] = static_cast<char>(kFinalTextFrame);
  const std::size_t size = header_size(payload_bytes);
  if (size == 2) {
    into[1] = static_cast<char>(payload_bytes);
    return size;
  }
  // Longer lengths follow in network byte order, in 2 or 8 bytes.
  into[1] = static_cast<char>(size == 4 ? 126 : 127);
  const std::size_t length_bytes = size - 2;
  for (std::size_t i = 0; i < length_bytes; ++i) {
    into[2 + i] = static_cast<char>((static_cast<std::uint64_t>(payload_bytes) >> (8 * (length_bytes - 1 - i))) & 0xff);
  }
  return size;
}

WebSocketFrameWriter::Described WebSocketFrameWriter::describe(std::string_view own, const OutputQueue& queue,
                                                               std::span<iovec> iovecs, std::span<char> staging) {
  QueuedFrames frames(queue);
  IovecList list(iovecs);
  Described described;
  const auto finish = [&] {
    described.iovecs = list.filled();
    described.wire_bytes = list.bytes();
    return described;
  };
  std::size_t staged = 0;
  if (in_progress_) {
    // The frame cut short: its header's rest, then its payload, which starts the queue.
    described.ends_between_frames = false;
    if (!list.add(header_.data() + header_sent_, header_size_ - header_sent_)) return finish();
    const QueuedFrame rest = frames.resume(payload_left_);
    if (!list.add(rest.payload, rest.payload_bytes)) return finish();
    described.ends_between_frames = true;
    described.all.queue_bytes = rest.queue_bytes();
  } else if (!list.add(own.data(), own.size())) {
    return finish();
  } else {
    described.all.own_bytes = own.size();
  }
  while (const std::optional<QueuedFrame> next = frames.next()) {
    const QueuedFrame& frame = *next;
    const std::size_t header_bytes = header_size(frame.payload_bytes);
    if (staging.size() - staged < header_bytes) break;
    char* header = staging.data() + staged;
    write_header(frame.payload_bytes, staging.subspan(staged));
    staged += header_bytes;
    // Short lines are copied next to their header: a gathered write pays per segment far more
    // than copying a chat line costs (OutputQueue::kStagedBelowBytes). Long ones stay put.
    if (frame.payload_bytes < OutputQueue::kStagedBelowBytes && staging.size() - staged >= frame.payload_bytes) {
      std::memcpy(staging.data() + staged, frame.payload, frame.payload_bytes);
      staged += frame.payload_bytes;
      if (!list.add(header, header_bytes + frame.payload_bytes)) break;
    } else if (!list.add(header, header_bytes)) {
      break;
    } else if (!list.add(frame.payload, frame.payload_bytes)) {
      described.ends_between_frames = false;
      break;
    }
    described.all.queue_bytes += frame.queue_bytes();
  }
  return finish();
}

WebSocketFrameWriter::Taken WebSocketFrameWriter::account(std::size_t wire_bytes, const Described& described,
                                                          std::string_view own, const OutputQueue& queue) {
  Taken taken;
  if (wire_bytes == 0) return taken;
  if (wire_bytes == described.wire_bytes && described.ends_between_frames) {
    // The kernel took it all: no need to walk the queue again.
    in_progress_ = false;
    return described.all;
  }
  QueuedFrames frames(queue);
  std::size_t left = wire_bytes;
  if (in_progress_) {
    const std::size_t header_taken = std::min<std::size_t>(left, header_size_ - header_sent_);
    header_sent_ = static_cast<std::uint8_t>(header_sent_ + header_taken);
    left -= header_taken;
    if (header_sent_ < header_size_) return taken;
    const std::size_t payload_taken = std::min<std::uint64_t>(left, payload_left_);
    left -= payload_taken;
    taken.queue_bytes += payload_taken;
    if (payload_taken < payload_left_) {
      payload_left_ -= payload_taken;
      return taken;
    }
    const QueuedFrame rest = frames.resume(payload_left_);
    taken.queue_bytes += rest.queue_bytes() - rest.payload_bytes;  // its newline
    in_progress_ = false;
  } else if (!own.empty()) {
    taken.own_bytes = std::min(left, own.size());
    left -= taken.own_bytes;
    if (taken.own_bytes < own.size()) return taken;
  }
  std::optional<QueuedFrame> next;
  while (left > 0 && (next = frames.next())) {
    const QueuedFrame& frame = *next;
    const std::size_t header_bytes = header_size(frame.payload_bytes);
    if (left < header_bytes) {
      write_header(frame.payload_bytes, header_);
      header_size_ = static_cast<std::uint8_t>(header_bytes);
      header_sent_ = static_cast<std::uint8_t>(left);
      payload_left_ = frame.payload_bytes;
      in_progress_ = true;
      return taken;
    }
    left -= header_bytes;
    if (left < frame.payload_bytes) {
      header_size_ = static_cast<std::uint8_t>(header_bytes);
      header_sent_ = header_size_;
      payload_left_ = frame.payload_bytes - left;
      taken.queue_bytes += left;
      in_progress_ = true;
      return taken;
    }
    left -= frame.payload_bytes;
    taken.queue_bytes += frame.queue_bytes();
  }
  return taken;
}

}  // namespace chatroom
