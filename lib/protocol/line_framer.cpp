// Line framing. Complete lines inside one chunk are handed out in place; only a line that
// spans reads is copied, so a connection holds no buffer between lines.
#include "protocol/line_framer.hpp"

namespace chatroom {
namespace {

constexpr std::size_t kRetainedCapacityBytes = 256;

}  // namespace

bool LineFramer::exceeds_limit(std::size_t length) const {
  // One byte of slack for the "\r" of a "\r\n" terminator, which is not part of the line.
  return length > max_line_bytes_ + 1;
}

void LineFramer::feed(std::string_view bytes, LineSink& sink) {
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      if (discarding_) return;
      if (exceeds_limit(partial_.size() + bytes.size())) {
        partial_.clear();
        discarding_ = true;
        sink.on_line_too_long();
        return;
      }
      partial_.append(bytes);
      return;
    }
    const std::string_view tail = bytes.substr(0, newline);
    bytes.remove_prefix(newline + 1);
    if (discarding_) {
      discarding_ = false;
      continue;
    }
    if (complete_line(tail, sink) == FeedControl::Stop) return;
  }
}

void LineFramer::complete_partial_line(LineSink& sink) {
  if (partial_.empty()) return;
  complete_line({}, sink);
}

FeedControl LineFramer::complete_line(std::string_view tail, LineSink& sink) {
  const std::size_t length = partial_.size() + tail.size();
  std::string_view line;
  if (partial_.empty()) {
    line = tail;
  } else if (!exceeds_limit(length)) {
    partial_.append(tail);
    line = partial_;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const FeedControl control =
      (exceeds_limit(length) || line.size() > max_line_bytes_) ? sink.on_line_too_long() : sink.on_line(line);
  partial_.clear();
  // Idle connections should not each keep a line-sized allocation alive.
  if (partial_.capacity() > kRetainedCapacityBytes) std::string().swap(partial_);
  return control;
}

}  // namespace chatroom
