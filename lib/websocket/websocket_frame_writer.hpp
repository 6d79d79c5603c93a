// Turns a connection's queued lines into WebSocket text frames on the way to the socket,
// without copying or re-encoding the shared broadcast bytes: each line's frame header (2, 4 or
// 10 bytes, server frames are never masked) is written into the staging buffer and the payload
// is described where it already is, so one gathered write carries header, text, header, text.
// The writer does no I/O: describe() says what to write, account() is told what the kernel
// took and says how much of the queue that used up, remembering a frame cut short in between.
#pragma once

#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "buffer/output_queue.hpp"

namespace chatroom {

class WebSocketFrameWriter {
 public:
  // Bytes of header for a text frame carrying `payload_bytes`.
  static std::size_t header_size(std::size_t payload_bytes);
  // Writes a final, unmasked text frame's header into `into` (at least 10 bytes); returns its size.
  static std::size_t write_header(std::size_t payload_bytes, std::span<char> into);

  struct Taken {
    std::size_t own_bytes = 0;    // of `own`
    std::size_t queue_bytes = 0;  // to consume from the queue (newlines included)
  };
  struct Described {
    std::size_t iovecs = 0;  // filled
    std::size_t wire_bytes = 0;
    // What writing all of it takes, when it ends between frames (as it nearly always does).
    Taken all;
    bool ends_between_frames = true;
  };

  // Fills `iovecs` with the next bytes to write: `own` (the transport's control frames or
  // handshake response, which may only go between frames), then each queued line as one text
  // frame. A line is the bytes up to a "\n" (which is not sent: the frame delimits it) or the
  // end of its chunk.
  Described describe(std::string_view own, const OutputQueue& queue, std::span<iovec> iovecs,
                     std::span<char> staging);

  // The kernel took `wire_bytes` of what describe() offered (with the same `own` and queue).
  Taken account(std::size_t wire_bytes, const Described& described, std::string_view own, const OutputQueue& queue);

  // A frame is partly written: nothing else may go on the wire until it is finished.
  [[nodiscard]] bool mid_frame() const { return in_progress_; }

 private:
  // The frame being written when a write stopped inside it.
  std::array<char, 10> header_{};
  std::uint8_t header_size_ = 0;
  std::uint8_t header_sent_ = 0;
  std::uint64_t payload_left_ = 0;
  bool in_progress_ = false;
};

}  // namespace chatroom
