// The line protocol (docs/protocol.md): the welcome line, "\pass" at the password gate, and
// every other line handed to the chat hub as chat or a backslash command; the server's own
// words as "! TEXT" lines and "\close" on shutdown. Spoken on the plain, TLS and WebSocket
// entrances.
#pragma once

#include "server/session.hpp"

namespace chatroom {

class LineWording final : public Wording {
 public:
  [[nodiscard]] SharedBytes error(const Participant& client, std::string_view text) const override;
  [[nodiscard]] SharedBytes last_words(std::string_view text) const override;
  [[nodiscard]] SharedBytes shutting_down() const override;
};

[[nodiscard]] const LineWording& line_wording();

class LineProtocol final : public ClientProtocol {
 public:
  [[nodiscard]] const Wording& wording() const override { return line_wording(); }
  [[nodiscard]] std::unique_ptr<Session> open_session(Connection& connection, SessionContext& context) override;
};

}  // namespace chatroom
