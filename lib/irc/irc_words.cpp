#include "irc/irc_words.hpp"

#include <algorithm>

#include "chat/name_rules.hpp"
#include "protocol/text_sanitizer.hpp"

namespace chatroom {

std::string shown_param(std::string_view untrusted) {
  std::string text;
  append_sanitized(text, untrusted.substr(0, kIrcNicknameLength + 8));
  std::replace(text.begin(), text.end(), ' ', '_');
  if (!text.empty() && text.front() != ':') return text;
  // Appended, not inserted: GCC 12 at -O3 warns falsely (-Wrestrict) about the insert.
  std::string starred = "*";
  starred.append(text);
  return starred;
}

std::string_view room_of(std::string_view channel) {
  if (channel.size() < 2 || channel.front() != '#') return {};
  channel.remove_prefix(1);
  return is_valid_name(channel) ? channel : std::string_view();
}

bool same_name(std::string_view a, std::string_view b) { return fold_name(a) == fold_name(b); }

std::vector<std::string_view> split_list(std::string_view list, char separator) {
  std::vector<std::string_view> parts;
  while (!list.empty()) {
    const std::size_t end = list.find(separator);
    if (end != 0) parts.push_back(list.substr(0, end));
    list.remove_prefix(end == std::string_view::npos ? list.size() : end + 1);
  }
  return parts;
}

}  // namespace chatroom
