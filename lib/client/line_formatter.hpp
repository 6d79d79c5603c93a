// Turns a DisplayLine into the text shown: harmless, with a stable colour per sender, notices
// and errors set apart, and an optional local timestamp.
#pragma once

#include <ctime>
#include <functional>
#include <string>

#include "client/chat_display.hpp"

namespace chatroom {

struct FormatOptions {
  bool color = false;
  bool timestamps = false;
};

class LineFormatter {
 public:
  explicit LineFormatter(FormatOptions options, std::function<std::time_t()> now = [] { return std::time(nullptr); })
      : options_(options), now_(std::move(now)) {}

  // The line to print, ending in "\n".
  [[nodiscard]] std::string format(const DisplayLine& line) const;

 private:
  FormatOptions options_;
  std::function<std::time_t()> now_;
};

}  // namespace chatroom
