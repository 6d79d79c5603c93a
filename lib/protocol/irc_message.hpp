// One IRC message, as a client sends it (RFC 1459 section 2.3.1, RFC 2812 section 2.3.1, and
// IRCv3 message-tags): optional "@tags", optional ":prefix", a command (letters, or a
// three-digit numeric) and at most 15 parameters, the last of which may be ":trailing" and hold
// spaces. Parsing takes a line without its "\r\n" (LineFramer strips it) and points into it,
// copying only tag values, whose escapes it undoes. No fds, no state: the IRC listener and the
// fuzzer use it alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chatroom {

struct IrcMessage {
  // Client tags keep their "+" (e.g. "+draft/reply"); values are unescaped, "" when absent.
  std::vector<std::pair<std::string_view, std::string>> tags;
  std::string_view prefix;  // without its ':'; servers ignore what clients put here
  std::string_view command;  // as sent: compare with irc_command_is (case-insensitive)
  std::vector<std::string_view> params;

  [[nodiscard]] std::string_view param(std::size_t index) const {
    return index < params.size() ? params[index] : std::string_view();
  }
  [[nodiscard]] const std::string* tag(std::string_view key) const;
};

enum class IrcParseError {
  Empty,          // nothing but spaces: clients send it as a keep-alive, to be ignored
  TagsTooLong,    // tags past 4094 bytes (IRCv3: the most a client may send)
  BadTags,        // "@" with an empty or malformed tag list
  NoCommand,      // a prefix or tags and nothing after them
  BadCommand,     // not letters, and not three digits
  TooLong,        // the message without its tags past 510 bytes (512 with "\r\n")
};

struct IrcParseResult {
  std::optional<IrcMessage> message;
  IrcParseError error = IrcParseError::Empty;  // meaningful when there is no message
};

// The limits a client's line must keep (RFC 1459: 512 bytes with the "\r\n"; IRCv3: 4094 bytes
// of tags from a client, 8191 with the "@" and the space from a server).
inline constexpr std::size_t kIrcMaxMessageBytes = 510;
inline constexpr std::size_t kIrcMaxClientTagBytes = 4094;
inline constexpr std::size_t kIrcMaxParams = 15;

[[nodiscard]] IrcParseResult parse_irc_message(std::string_view line);

// Whether `command` names `expected` (an upper-case name), whatever its case.
[[nodiscard]] bool irc_command_is(std::string_view command, std::string_view expected);

// IRCv3 tag value escaping: ";" "\:", " " "\s", "\" "\\", CR "\r", LF "\n".
[[nodiscard]] std::string escape_irc_tag_value(std::string_view value);
[[nodiscard]] std::string unescape_irc_tag_value(std::string_view escaped);

}  // namespace chatroom
