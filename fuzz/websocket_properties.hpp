// What must hold for any bytes a WebSocket client could send after the upgrade: the transport
// ends each read cleanly, hands up only whole UTF-8 messages, and everything it writes back is
// well-formed server frames. The fuzzer searches for a counterexample; the unit suite replays
// the checked-in corpus (fuzz/corpus/websocket).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatroom::fuzz {

// The first byte of `input` chooses the message size limit (16 to 4,096 bytes) and the size of
// each read; the rest is what the client sent. Returns what broke, or nothing.
[[nodiscard]] std::optional<std::string> check_websocket_properties(std::string_view input);

}  // namespace chatroom::fuzz
