// The words IRC commands carry, as the IRC listener reads them and puts them back into
// replies: channels, nicknames, lists, and the lengths ISUPPORT announces.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chatroom {

inline constexpr std::size_t kIrcNicknameLength = 32;  // name_rules
inline constexpr std::size_t kIrcChannelLength = 33;   // '#' and a room name
inline constexpr std::size_t kIrcTopicLength = 390;

// An untrusted word put back into a reply as one middle parameter: cut short, with no space
// or control character, never empty.
[[nodiscard]] std::string shown_param(std::string_view untrusted);
// The room a channel names: "#den" -> "den"; empty if it is no channel of ours.
[[nodiscard]] std::string_view room_of(std::string_view channel);
// Whether two nicknames or room names are the same name (names fold case).
[[nodiscard]] bool same_name(std::string_view a, std::string_view b);
// The words of a list separated by `separator`, empty ones left out.
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view list, char separator);

}  // namespace chatroom
