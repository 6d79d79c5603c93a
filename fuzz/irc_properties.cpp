// The IRC parser's properties: whatever the line, a message or a reason comes back, never a
// crash; a message's parts lie inside the line and obey RFC 2812's grammar; writing a message
// back out and parsing it again gives the same message; tag values survive escaping.
#include "irc_properties.hpp"

#include <algorithm>
#include <functional>

#include "irc/sasl_plain.hpp"
#include "protocol/irc_message.hpp"

namespace chatroom::fuzz {
namespace {

bool inside(std::string_view part, std::string_view line) {
  return part.empty() || (std::less_equal<>()(line.data(), part.data()) &&
                          std::less_equal<>()(part.data() + part.size(), line.data() + line.size()));
}

// The message as a client would write it again, without its tags, never longer than it came:
// the last parameter gets its ':' only where it needs one (empty, starting with ':' or a
// space, or holding a space before the fifteenth, which takes the rest of the line without
// one but would still lose its leading spaces).
std::string written_back(const IrcMessage& message) {
  std::string line;
  if (!message.prefix.empty()) line.append(":").append(message.prefix).append(" ");
  line.append(message.command);
  for (std::size_t i = 0; i < message.params.size(); ++i) {
    const std::string_view param = message.params[i];
    line.append(" ");
    const bool last = i + 1 == message.params.size();
    const bool needs_colon = param.empty() || param.front() == ':' || param.front() == ' ' ||
                             (param.find(' ') != std::string_view::npos && message.params.size() < kIrcMaxParams);
    if (last && needs_colon) line.append(":");
    line.append(param);
  }
  return line;
}

// The parameters as AUTHENTICATE chunks, whatever they hold: base64 decodes to three bytes for
// every four, less the padding, and a complete PLAIN message has its fields within RFC 4616's
// bounds and no NUL in any of them.
std::optional<std::string> check_sasl(const IrcMessage& message) {
  for (const std::string_view param : message.params) {
    if (const std::optional<std::string> decoded = decode_base64(param)) {
      const std::size_t padding = param.ends_with("==") ? 2 : param.ends_with('=') ? 1 : 0;
      if (decoded->size() != param.size() / 4 * 3 - padding) return "base64 decoded to the wrong length";
    }
  }
  SaslPlainExchange exchange;
  for (const std::string_view param : message.params) {
    const SaslPlainExchange::Step step = exchange.take(param);
    if (step == SaslPlainExchange::Step::NeedMore) continue;
    if (step != SaslPlainExchange::Step::Complete) return std::nullopt;
    const SaslCredentials& credentials = exchange.credentials();
    for (const std::string* field : {&credentials.authzid, &credentials.authcid, &credentials.password}) {
      if (field->size() > 255 || field->find('\0') != std::string::npos) return "a PLAIN field too long or holding a NUL";
    }
    if (credentials.authcid.empty() || credentials.password.empty()) return "a PLAIN login without a name or a password";
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> check_line(std::string_view line) {
  const IrcParseResult result = parse_irc_message(line);
  if (!result.message) {
    const bool blank = line.find_first_not_of(' ') == std::string_view::npos;
    if ((result.error == IrcParseError::Empty) != blank) return "Empty returned for a line that is not blank, or not for one that is";
    return std::nullopt;
  }
  const IrcMessage& message = *result.message;
  if (!inside(message.prefix, line) || !inside(message.command, line)) return "a part points outside the line";
  const bool letters = std::all_of(message.command.begin(), message.command.end(),
                                   [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
  const bool numeric = message.command.size() == 3 &&
                       std::all_of(message.command.begin(), message.command.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (message.command.empty() || (!letters && !numeric)) return "a command that is neither letters nor three digits";
  if (message.params.size() > kIrcMaxParams) return "more than 15 parameters";
  for (std::size_t i = 0; i < message.params.size(); ++i) {
    const std::string_view param = message.params[i];
    if (!inside(param, line)) return "a parameter points outside the line";
    const bool last = i + 1 == message.params.size();
    if (!last && (param.empty() || param.find(' ') != std::string_view::npos || param.front() == ':')) {
      return "a middle parameter that is empty, holds a space or starts with ':'";
    }
  }
  if (message.prefix.find(' ') != std::string_view::npos) return "a prefix with a space";
  for (const auto& [key, value] : message.tags) {
    if (!inside(key, line) || key.empty()) return "a tag key outside the line, or empty";
    if (unescape_irc_tag_value(escape_irc_tag_value(value)) != value) return "a tag value changed by escaping";
  }
  if (auto broken = check_sasl(message)) return broken;
  const std::string again = written_back(message);
  const IrcParseResult reparsed = parse_irc_message(again);
  if (!reparsed.message) return "the message written back does not parse: " + again;
  if (reparsed.message->prefix != message.prefix || reparsed.message->command != message.command ||
      reparsed.message->params != message.params) {
    return "the message written back parses differently: " + again;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_irc_properties(std::string_view input) {
  while (!input.empty()) {
    const std::size_t newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (auto broken = check_line(line)) return broken;
  }
  return std::nullopt;
}

}  // namespace chatroom::fuzz
