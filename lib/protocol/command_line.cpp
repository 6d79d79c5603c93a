// Command recognition.
#include "protocol/command_line.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kBlanks = " \t";

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kBlanks);
  return text.substr(first, last - first + 1);
}

}  // namespace

std::optional<CommandLine> parse_command(std::string_view line) {
  const std::string_view trimmed = trim(line);
  if (trimmed.empty() || trimmed.front() != '\\') return std::nullopt;
  if (trimmed.size() > 1 && trimmed[1] == '\\') return std::nullopt;  // "\\": an escaped backslash
  const WordAndRest parts = split_first_word(trimmed.substr(1));
  return CommandLine{parts.word, parts.rest};
}

std::string_view chat_text_of(std::string_view line) {
  const std::size_t first = line.find_first_not_of(kBlanks);
  if (first != std::string_view::npos && line.substr(first, 2) == "\\\\") {
    return line.substr(first + 1);
  }
  return line;
}

WordAndRest split_first_word(std::string_view text) {
  text = trim(text);
  const std::size_t end = text.find_first_of(kBlanks);
  if (end == std::string_view::npos) return {text, {}};
  return {text.substr(0, end), trim(text.substr(end))};
}

ClientCommand client_command(std::string_view name) {
  if (name == "nick") return ClientCommand::Nick;
  if (name == "join") return ClientCommand::Join;
  if (name == "rooms") return ClientCommand::Rooms;
  if (name == "who") return ClientCommand::Who;
  if (name == "msg") return ClientCommand::Msg;
  if (name == "me") return ClientCommand::Me;
  if (name == "topic") return ClientCommand::Topic;
  if (name == "invite") return ClientCommand::Invite;
  if (name == "help") return ClientCommand::Help;
  if (name == "close") return ClientCommand::Close;
  if (name == "pass") return ClientCommand::Pass;
  return ClientCommand::Unknown;
}

ConsoleCommand console_command(std::string_view name) {
  if (name == "close") return ConsoleCommand::Close;
  if (name == "who") return ConsoleCommand::Who;
  if (name == "rooms") return ConsoleCommand::Rooms;
  if (name == "kick") return ConsoleCommand::Kick;
  if (name == "stats") return ConsoleCommand::Stats;
  if (name == "nodes") return ConsoleCommand::Nodes;
  if (name == "reload") return ConsoleCommand::Reload;
  if (name == "help") return ConsoleCommand::Help;
  return ConsoleCommand::Unknown;
}

}  // namespace chatroom
