// What a received line asks for, for client lines and console lines alike.
#pragma once

#include <string_view>

namespace chatroom {

enum class LineKind {
  Blank,  // empty or only spaces and tabs: ignored
  Close,  // "\close": a client leaves; on the console, the daemon shuts down
  Text,   // anything else is chat
};

[[nodiscard]] LineKind classify_line(std::string_view line);

}  // namespace chatroom
