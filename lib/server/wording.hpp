// How a protocol says what the server itself tells a client, as opposed to what the chat tells
// it (a Dialect): a problem with what it sent, why it is being cut off, that the server is
// shutting down. The line protocol says "! line too long"; IRC says "ERROR :line too long".
#pragma once

#include <string_view>

#include "buffer/shared_bytes.hpp"
#include "chat/participant.hpp"

namespace chatroom {

class Wording {
 public:
  // A problem with what `client` sent or did; it stays connected.
  [[nodiscard]] virtual SharedBytes error(const Participant& client, std::string_view text) const = 0;
  // Why the server closes the connection (or refuses it at the door): the last thing sent.
  [[nodiscard]] virtual SharedBytes last_words(std::string_view text) const = 0;
  // The server is shutting down: the goodbye every client gets.
  [[nodiscard]] virtual SharedBytes shutting_down() const = 0;

 protected:
  ~Wording() = default;
};

}  // namespace chatroom
