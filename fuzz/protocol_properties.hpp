// What must hold for any bytes a client (or a server) could send: the properties the fuzzer
// searches for a counterexample to, and the unit suite replays on the checked-in corpus.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatroom::fuzz {

// Frames `input` (its first two bytes choose the line limit and how it is cut into reads) and
// puts every line through the sanitiser, the chat line encoder and both line parsers.
// Returns what broke, or nothing when every property held.
[[nodiscard]] std::optional<std::string> check_protocol_properties(std::string_view input);

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) with no control
// character but TAB: C0, DEL and C1 are all refused. Written apart from the sanitiser, to judge it.
[[nodiscard]] bool is_clean_text(std::string_view text);

}  // namespace chatroom::fuzz
