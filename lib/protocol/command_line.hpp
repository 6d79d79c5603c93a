// Backslash commands, as the original's "\close": recognising them among chat lines and
// splitting them into a name and an argument. Which names mean what is up to the listener
// (a client and the admin console know different commands).
#pragma once

#include <optional>
#include <string_view>

namespace chatroom {

struct CommandLine {
  std::string_view name;      // after the backslash, up to the first space or tab: "nick"
  std::string_view argument;  // the rest, without surrounding spaces and tabs: "alice"
};

// A line whose first non-blank character is a backslash is a command, with one exception: a
// line starting "\\" is chat text that begins with a backslash (see chat_text_of).
[[nodiscard]] std::optional<CommandLine> parse_command(std::string_view line);

// The text to broadcast for a chat line: the line itself, or for "\\..." the line with its
// first backslash removed.
[[nodiscard]] std::string_view chat_text_of(std::string_view line);

// Splits "WORD REST" at the first space or tab into WORD and REST without surrounding blanks:
// "\msg bob hello there" -> ("bob", "hello there").
struct WordAndRest {
  std::string_view word;
  std::string_view rest;
};
[[nodiscard]] WordAndRest split_first_word(std::string_view text);

enum class ClientCommand { Nick, Join, Rooms, Who, Msg, Me, Topic, Invite, Help, Close, Pass, Unknown };
[[nodiscard]] ClientCommand client_command(std::string_view name);

enum class ConsoleCommand { Close, Who, Rooms, Kick, Stats, Nodes, Reload, Help, Unknown };
[[nodiscard]] ConsoleCommand console_command(std::string_view name);

}  // namespace chatroom
