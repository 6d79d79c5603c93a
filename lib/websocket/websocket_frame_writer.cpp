// Text frames around queued lines, written with gathered writes.
#include "websocket/websocket_frame_writer.hpp"

#include <algorithm>
#include <cstring>

namespace chatroom {
namespace {

// Chunks of the queue looked at per write; a write covers at most this many anyway.
constexpr std::size_t kChunksPerWrite = 256;
// FIN set, opcode 1 (text): every line is a whole message.
constexpr unsigned char kFinalTextFrame = 0x81;

// The next frame at `offset` in `chunk`: its payload runs to the next "\n" or the chunk's end.
struct NextFrame {
  const char* payload;
  std::size_t payload_bytes;
  bool ends_with_newline;
};

NextFrame next_frame(const iovec& chunk, std::size_t offset) {
  const char* start = static_cast<const char*>(chunk.iov_base) + offset;
  const std::size_t rest = chunk.iov_len - offset;
  const void* newline = std::memchr(start, '\n', rest);
  if (newline == nullptr) return {start, rest, false};
  return {start, static_cast<std::size_t>(static_cast<const char*>(newline) - start), true};
}

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
  std::array<iovec, kChunksPerWrite> chunks{};
  const std::size_t chunk_count = queue.gather(chunks);
  IovecList list(iovecs);
  Described described;
  const auto finish = [&] {
    described.iovecs = list.filled();
    described.wire_bytes = list.bytes();
    return described;
  };
  std::size_t staged = 0;
  std::size_t chunk = 0;
  std::size_t offset = 0;
  if (in_progress_) {
    // The frame cut short: its header's rest, then its payload, which starts the queue.
    described.ends_between_frames = false;
    if (!list.add(header_.data() + header_sent_, header_size_ - header_sent_)) return finish();
    if (!list.add(static_cast<const char*>(chunks[0].iov_base), payload_left_)) return finish();
    described.ends_between_frames = true;
    offset = payload_left_;
    if (offset < chunks[0].iov_len) ++offset;  // its newline, never sent
    described.all.queue_bytes = offset;
  } else if (!list.add(own.data(), own.size())) {
    return finish();
  } else {
    described.all.own_bytes = own.size();
  }
  while (chunk < chunk_count) {
    if (offset == chunks[chunk].iov_len) {
      ++chunk;
      offset = 0;
      continue;
    }
    const NextFrame frame = next_frame(chunks[chunk], offset);
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
    const std::size_t used = frame.payload_bytes + (frame.ends_with_newline ? 1 : 0);
    offset += used;
    described.all.queue_bytes += used;
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
  std::array<iovec, kChunksPerWrite> chunks{};
  const std::size_t chunk_count = queue.gather(chunks);
  std::size_t left = wire_bytes;
  std::size_t chunk = 0;
  std::size_t offset = 0;
  if (in_progress_) {
    const std::size_t header_taken = std::min<std::size_t>(left, header_size_ - header_sent_);
    header_sent_ = static_cast<std::uint8_t>(header_sent_ + header_taken);
    left -= header_taken;
    if (header_sent_ < header_size_) return taken;
    const std::size_t payload_taken = std::min<std::uint64_t>(left, payload_left_);
    payload_left_ -= payload_taken;
    left -= payload_taken;
    taken.queue_bytes += payload_taken;
    if (payload_left_ > 0) return taken;
    in_progress_ = false;
    offset = payload_taken;
    if (chunk_count > 0 && offset < chunks[0].iov_len) {
      ++offset;
      ++taken.queue_bytes;
    }
  } else if (!own.empty()) {
    taken.own_bytes = std::min(left, own.size());
    left -= taken.own_bytes;
    if (taken.own_bytes < own.size()) return taken;
  }
  while (left > 0 && chunk < chunk_count) {
    if (offset == chunks[chunk].iov_len) {
      ++chunk;
      offset = 0;
      continue;
    }
    const NextFrame frame = next_frame(chunks[chunk], offset);
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
    const std::size_t used = frame.payload_bytes + (frame.ends_with_newline ? 1 : 0);
    taken.queue_bytes += used;
    offset += used;
  }
  return taken;
}

}  // namespace chatroom
