// One event on its way to many members: spelled once per dialect, on the first member that
// speaks it, and shared by every other (a SharedBytes reference each). A room of one protocol
// costs what a room did before there were dialects; a mixed room, one spelling per protocol.
// Or several events in a row (lines one member sent in one read): spelled one after another
// into one chunk, so that a member's queue takes them with one reference and the fan-out
// costs per recipient what one event costs, not that times the events.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>

#include "buffer/shared_bytes.hpp"
#include "chat/chat_event.hpp"
#include "chat/dialect.hpp"

namespace chatroom {

class Broadcast {
 public:
  // `event` (or `events`, at least one) and `scratch` must outlive the broadcast.
  Broadcast(const ChatEvent& event, std::string& scratch) : events_(&event, 1), scratch_(scratch) {}
  Broadcast(ChatEvent&& event, std::string& scratch) = delete;  // it would outlive the event
  Broadcast(std::span<const ChatEvent> events, std::string& scratch) : events_(events), scratch_(scratch) {}
  Broadcast(const Broadcast&) = delete;
  Broadcast& operator=(const Broadcast&) = delete;

  // How many events each delivery carries.
  [[nodiscard]] std::size_t event_count() const { return events_.size(); }

  // Inline: the fan-out asks this once per recipient.
  [[nodiscard]] const SharedBytes& spelled_in(const Dialect& dialect) {
    Spelling& spelling = spellings_[dialect.slot()];
    if (!spelling.done) {
      spelling.bytes = events_.size() == 1 ? dialect.spell(events_.front(), scratch_) : spell_in_a_row(dialect);
      spelling.done = true;
    }
    return spelling.bytes;
  }

 private:
  struct Spelling {
    SharedBytes bytes;
    bool done = false;
  };

  [[nodiscard]] SharedBytes spell_in_a_row(const Dialect& dialect);

  std::span<const ChatEvent> events_;
  std::string& scratch_;
  std::string in_a_row_;  // the events' spellings joined; only several events use it
  std::array<Spelling, kMaxDialects> spellings_;
};

}  // namespace chatroom
