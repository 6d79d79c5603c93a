// One event on its way to many members: spelled once per dialect, on the first member that
// speaks it, and shared by every other (a SharedBytes reference each). A room of one protocol
// costs what a room did before there were dialects; a mixed room, one spelling per protocol.
#pragma once

#include <array>
#include <string>

#include "buffer/shared_bytes.hpp"
#include "chat/chat_event.hpp"
#include "chat/dialect.hpp"

namespace chatroom {

class Broadcast {
 public:
  // `event` and `scratch` must outlive the broadcast.
  Broadcast(const ChatEvent& event, std::string& scratch) : event_(event), scratch_(scratch) {}
  Broadcast(ChatEvent&& event, std::string& scratch) = delete;  // it would outlive the event
  Broadcast(const Broadcast&) = delete;
  Broadcast& operator=(const Broadcast&) = delete;

  [[nodiscard]] const ChatEvent& event() const { return event_; }

  // Inline: the fan-out asks this once per recipient.
  [[nodiscard]] const SharedBytes& spelled_in(const Dialect& dialect) {
    Spelling& spelling = spellings_[dialect.slot()];
    if (!spelling.done) {
      spelling.bytes = dialect.spell(event_, scratch_);
      spelling.done = true;
    }
    return spelling.bytes;
  }

 private:
  struct Spelling {
    SharedBytes bytes;
    bool done = false;
  };

  const ChatEvent& event_;
  std::string& scratch_;
  std::array<Spelling, kMaxDialects> spellings_;
};

}  // namespace chatroom
