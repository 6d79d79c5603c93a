// Lines one member sent one after another, in one read, that are all chat for its room: kept
// (copied and sanitised, since the framer's views last only for a call) until the read is
// framed, then said together (ChatHub::hold_chat, say_held_chat), so that each member of the
// room gets them as one chunk.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chatroom {

class LineRun {
 public:
  void add(std::string_view line) {
    bytes_.append(line);
    ends_.push_back(bytes_.size());
  }
  void clear() {
    bytes_.clear();
    ends_.clear();
  }

  [[nodiscard]] bool empty() const { return ends_.empty(); }
  [[nodiscard]] std::size_t size() const { return ends_.size(); }
  [[nodiscard]] std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string bytes_;
  std::vector<std::size_t> ends_;
};

}  // namespace chatroom
