// Parsing IRC messages, and IRCv3 tag escapes.
#include "protocol/irc_message.hpp"

#include <algorithm>

namespace chatroom {
namespace {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A tag key: an optional '+' (client tag), an optional vendor ("example.com/"), and a name of
// letters, digits and '-'.
bool is_tag_key(std::string_view key) {
  if (!key.empty() && key.front() == '+') key.remove_prefix(1);
  if (key.empty()) return false;
  const std::size_t slash = key.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  if (name.empty()) return false;
  return std::all_of(key.begin(), key.end(),
                     [](char c) { return is_letter(c) || is_digit(c) || c == '-' || c == '.' || c == '/'; });
}

void skip_spaces(std::string_view& rest) {
  const std::size_t first = rest.find_first_not_of(' ');
  rest.remove_prefix(first == std::string_view::npos ? rest.size() : first);
}

// The word up to the next space, taken off the front of `rest`.
std::string_view take_word(std::string_view& rest) {
  const std::size_t space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  rest.remove_prefix(space == std::string_view::npos ? rest.size() : space);
  return word;
}

bool parse_tags(std::string_view tags, IrcMessage& message) {
  if (tags.empty()) return false;
  while (!tags.empty()) {
    const std::size_t end = tags.find(';');
    const std::string_view tag = tags.substr(0, end);
    tags.remove_prefix(end == std::string_view::npos ? tags.size() : end + 1);
    if (tag.empty()) continue;  // ";;" or a trailing ';'
    const std::size_t equals = tag.find('=');
    const std::string_view key = tag.substr(0, equals);
    if (!is_tag_key(key)) return false;
    std::string value = equals == std::string_view::npos ? std::string() : unescape_irc_tag_value(tag.substr(equals + 1));
    // A key given twice keeps its last value.
    const auto known = std::find_if(message.tags.begin(), message.tags.end(),
                                    [key](const auto& each) { return each.first == key; });
    if (known != message.tags.end()) {
      known->second = std::move(value);
    } else {
      message.tags.emplace_back(key, std::move(value));
    }
  }
  return true;
}

}  // namespace

const std::string* IrcMessage::tag(std::string_view key) const {
  const auto found = std::find_if(tags.begin(), tags.end(), [key](const auto& each) { return each.first == key; });
  return found == tags.end() ? nullptr : &found->second;
}

IrcParseResult parse_irc_message(std::string_view line) {
  IrcParseResult result;
  std::string_view rest = line;
  skip_spaces(rest);
  if (rest.empty()) return result;  // Empty
  IrcMessage message;
  if (rest.front() == '@') {
    rest.remove_prefix(1);
    const std::string_view tags = take_word(rest);
    if (tags.size() > kIrcMaxClientTagBytes) {
      result.error = IrcParseError::TagsTooLong;
      return result;
    }
    if (!parse_tags(tags, message)) {
      result.error = IrcParseError::BadTags;
      return result;
    }
    skip_spaces(rest);
  }
  if (rest.size() > kIrcMaxMessageBytes) {
    result.error = IrcParseError::TooLong;
    return result;
  }
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    message.prefix = take_word(rest);
    skip_spaces(rest);
  }
  message.command = take_word(rest);
  if (message.command.empty()) {
    result.error = IrcParseError::NoCommand;
    return result;
  }
  const bool letters = std::all_of(message.command.begin(), message.command.end(), is_letter);
  const bool numeric = message.command.size() == 3 && std::all_of(message.command.begin(), message.command.end(), is_digit);
  if (!letters && !numeric) {
    result.error = IrcParseError::BadCommand;
    return result;
  }
  for (;;) {
    skip_spaces(rest);
    if (rest.empty()) break;
    // ":trailing" holds the rest of the line, spaces and all; so does the fifteenth
    // parameter, with or without its ':' (RFC 2812).
    if (rest.front() == ':' || message.params.size() == kIrcMaxParams - 1) {
      if (rest.front() == ':') rest.remove_prefix(1);
      message.params.push_back(rest);
      break;
    }
    message.params.push_back(take_word(rest));
  }
  result.message = std::move(message);
  return result;
}

bool irc_command_is(std::string_view command, std::string_view expected) {
  return command.size() == expected.size() &&
         std::equal(command.begin(), command.end(), expected.begin(), [](char a, char b) {
           return (a >= 'a' && a <= 'z' ? static_cast<char>(a - 'a' + 'A') : a) == b;
         });
}

std::string escape_irc_tag_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case ';':
        escaped += "\\:";
        break;
      case ' ':
        escaped += "\\s";
        break;
      case '\\':
        escaped += "\\\\";
        break;
      case '\r':
        escaped += "\\r";
        break;
      case '\n':
        escaped += "\\n";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string unescape_irc_tag_value(std::string_view escaped) {
  std::string value;
  value.reserve(escaped.size());
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '\\') {
      value += escaped[i];
      continue;
    }
    if (++i == escaped.size()) break;  // a lone '\' at the end is dropped
    switch (escaped[i]) {
      case ':':
        value += ';';
        break;
      case 's':
        value += ' ';
        break;
      case 'r':
        value += '\r';
        break;
      case 'n':
        value += '\n';
        break;
      default:  // "\\" and an unknown escape: the character itself
        value += escaped[i];
    }
  }
  return value;
}

}  // namespace chatroom
