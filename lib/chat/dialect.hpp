// How one protocol puts the chat's events into words. A member speaks one dialect; a
// broadcast asks each dialect its members speak once (Broadcast), however many members speak
// it.
#pragma once

#include <cstddef>
#include <string>

#include "buffer/shared_bytes.hpp"
#include "chat/chat_event.hpp"

namespace chatroom {

// The dialects one server speaks at most: the size of a broadcast's cache of spellings.
inline constexpr std::size_t kMaxDialects = 4;

class Dialect {
 public:
  // `slot`, below kMaxDialects, is this dialect's own place in a broadcast's cache.
  explicit Dialect(std::size_t slot) : slot_(slot) {}

  [[nodiscard]] std::size_t slot() const { return slot_; }

  // `event` as the bytes this protocol sends for it; empty when it sends nothing. `scratch`
  // is reused between calls so that spelling does not allocate beyond its result.
  [[nodiscard]] virtual SharedBytes spell(const ChatEvent& event, std::string& scratch) const = 0;

 protected:
  ~Dialect() = default;
  Dialect(const Dialect&) = default;
  Dialect& operator=(const Dialect&) = default;

 private:
  std::size_t slot_;
};

}  // namespace chatroom
