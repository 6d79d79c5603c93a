// The outcome of one non-blocking read or write: EAGAIN is an ordinary outcome, not an error.
#pragma once

#include <cstddef>

namespace chatroom {

struct IoResult {
  enum class Kind { Transferred, WouldBlock, EndOfFile, Failed };

  Kind kind = Kind::Failed;
  std::size_t bytes = 0;  // meaningful for Transferred
  int error = 0;          // errno, meaningful for Failed

  static IoResult transferred(std::size_t n) { return {Kind::Transferred, n, 0}; }
  static IoResult would_block() { return {Kind::WouldBlock, 0, 0}; }
  static IoResult end_of_file() { return {Kind::EndOfFile, 0, 0}; }
  static IoResult failed(int err) { return {Kind::Failed, 0, err}; }

  [[nodiscard]] bool is_transferred() const { return kind == Kind::Transferred; }
  [[nodiscard]] bool is_would_block() const { return kind == Kind::WouldBlock; }
  [[nodiscard]] bool is_end_of_file() const { return kind == Kind::EndOfFile; }
  [[nodiscard]] bool is_failed() const { return kind == Kind::Failed; }
};

}  // namespace chatroom
