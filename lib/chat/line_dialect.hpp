// The line protocol's words for the chat's events (docs/protocol.md): what nc, the terminal
// client and the web page read. Every member speaks it unless its protocol says otherwise.
#pragma once

#include "chat/dialect.hpp"

namespace chatroom {

class LineDialect final : public Dialect {
 public:
  static constexpr std::size_t kSlot = 0;

  LineDialect() : Dialect(kSlot) {}

  // "<alice>:\thi", "* alice waves", "* alice joined", "*alice*:\thi", ...; a replay is
  // "[HH:MM:SS] " (UTC) before the live line.
  [[nodiscard]] SharedBytes spell(const ChatEvent& event, std::string& scratch) const override;
};

// The one instance every line-protocol member points at.
[[nodiscard]] const LineDialect& line_dialect();

}  // namespace chatroom
