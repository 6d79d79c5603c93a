// What a nickname or a room name may be, and when two names are the same one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chatroom {

inline constexpr std::size_t kMaxNameLength = 32;

// 1 to 32 ASCII letters, digits, '_' or '-': safe on every terminal, unambiguous to type, and
// never mistaken for an "ip:port" name or a command.
[[nodiscard]] bool is_valid_name(std::string_view name);

// Names compare case-insensitively: "Alice" and "alice" are one name.
[[nodiscard]] std::string fold_name(std::string_view name);

}  // namespace chatroom
