// Recognising commands among chat lines.
#include "protocol/line_kind.hpp"

#include "protocol/wire_format.hpp"

namespace chatroom {

LineKind classify_line(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return LineKind::Blank;
  const std::size_t last = line.find_last_not_of(" \t");
  // Stray spaces around a typed command should not turn it into a broadcast.
  if (line.substr(first, last - first + 1) == kCloseCommand) return LineKind::Close;
  return LineKind::Text;
}

}  // namespace chatroom
