// What must hold for any line an IRC client could send, for the IRC message parser: the
// property the fuzzer searches for a counterexample to, and the unit suite replays on the
// checked-in corpus (fuzz/corpus/irc).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatroom::fuzz {

// Splits `input` into lines as the IRC listener's framer would and parses each. Returns what
// broke, or nothing when every property held.
[[nodiscard]] std::optional<std::string> check_irc_properties(std::string_view input);

}  // namespace chatroom::fuzz
