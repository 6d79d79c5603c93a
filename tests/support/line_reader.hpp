// Lines out of a byte stream for the test clients, plain or TLS: each supplies how to receive
// more bytes before a deadline; reading lines, reading to the end and silence are shared.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace chatroom::testing {

class LineReader {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  // The next line including its "\n", or nullopt on timeout or end of stream.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const Deadline deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const std::size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline + 1);
        buffer_.erase(0, newline + 1);
        return line;
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // Everything until the end of the stream, or nullopt if it did not end within `timeout`.
  std::optional<std::string> read_until_eof(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const Deadline deadline = std::chrono::steady_clock::now() + timeout;
    while (fill(deadline)) {
    }
    if (!ended_) return std::nullopt;
    return std::exchange(buffer_, {});
  }

  // True if nothing at all arrives within `quiet`.
  bool stays_silent(std::chrono::milliseconds quiet) {
    if (!buffer_.empty()) return false;
    return !fill(std::chrono::steady_clock::now() + quiet) && !ended_;
  }

 protected:
  LineReader() = default;
  ~LineReader() = default;

  enum class Received { Bytes, Nothing, End };
  // Appends what arrives to `into`, waiting at most until `deadline`.
  virtual Received receive_some(std::string& into, Deadline deadline) = 0;

 private:
  bool fill(Deadline deadline) {
    if (ended_) return false;
    switch (receive_some(buffer_, deadline)) {
      case Received::Bytes:
        return true;
      case Received::Nothing:
        return false;
      case Received::End:
        ended_ = true;
        return false;
    }
    return false;
  }

  std::string buffer_;
  bool ended_ = false;
};

}  // namespace chatroom::testing
