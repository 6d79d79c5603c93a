// Several events spelled into one chunk.
#include "chat/broadcast.hpp"

#include <cstdint>

namespace chatroom {

SharedBytes Broadcast::spell_in_a_row(const Dialect& dialect) {
  in_a_row_.clear();
  std::uint32_t messages = 0;
  for (const ChatEvent& event : events_) {
    const SharedBytes spelled = dialect.spell(event, scratch_);
    in_a_row_.append(spelled.view());
    messages += spelled.messages();
  }
  return in_a_row_.empty() ? SharedBytes() : SharedBytes::copy_of(in_a_row_, messages);
}

}  // namespace chatroom
