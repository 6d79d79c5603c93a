// Cuts a byte stream into newline-terminated lines, holding a partial line between reads and
// refusing lines longer than a limit without ever buffering more than that limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chatroom {

enum class FeedControl { Continue, Stop };

class LineSink {
 public:
  // `line` excludes the "\n" and a "\r" before it; it is valid only during the call.
  virtual FeedControl on_line(std::string_view line) = 0;
  // Called once per over-long line, as soon as it is known to be too long; the rest of that
  // line, up to and including its newline, is then dropped.
  virtual FeedControl on_line_too_long() = 0;

 protected:
  ~LineSink() = default;
};

class LineFramer {
 public:
  explicit LineFramer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Frames `bytes` and reports each event to `sink`; stops early when the sink says so (the
  // remaining bytes are then discarded, which is what a closing connection wants).
  void feed(std::string_view bytes, LineSink& sink);
  // Hands the partial line held so far to `sink` as if its newline had come, for a peer that
  // leaves a line unterminated (the original chat server's welcome). Nothing if none is held.
  void complete_partial_line(LineSink& sink);

  // The input buffer: bytes of a line whose newline has not arrived yet.
  [[nodiscard]] std::size_t buffered_bytes() const { return partial_.size(); }
  [[nodiscard]] std::string_view buffered() const { return partial_; }
  // True between a line's first byte and its newline, also while an over-long line is dropped.
  [[nodiscard]] bool mid_line() const { return !partial_.empty() || discarding_; }
  [[nodiscard]] std::size_t max_line_bytes() const { return max_line_bytes_; }

 private:
  FeedControl complete_line(std::string_view tail, LineSink& sink);
  [[nodiscard]] bool exceeds_limit(std::size_t length) const;

  std::size_t max_line_bytes_;
  std::string partial_;
  bool discarding_ = false;
};

}  // namespace chatroom
