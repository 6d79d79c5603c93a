// Text from a server made fit for libedit's prompt. libedit converts the prompt to wide
// characters itself and crashes on a byte sequence the locale cannot decode, and whatever it
// prints goes to the terminal raw; a server (not only ours) may name us anything.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chatroom {

// `text` with controls shown in caret notation (^[ for ESC, ^@ for NUL), invalid, unprintable
// (in the current locale) and bidirectional-override characters as U+FFFD, or "?" where the
// locale cannot show that, a TAB as a space, and at most `max_characters` characters, then
// "...".
[[nodiscard]] std::string prompt_text(std::string_view text, std::size_t max_characters);

}  // namespace chatroom
