// Following the session through the server's notices (docs/protocol.md).
#include "client/client_session.hpp"

#include <array>

#include "chat/name_rules.hpp"
#include "client/prompt_text.hpp"

namespace chatroom {
namespace {

// Our daemon allows 32; the prompt leaves the rest of the line for typing.
constexpr std::size_t kMaxPromptNameCharacters = 32;

constexpr std::array<std::string_view, 8> kCommands = {
    "\\close", "\\help", "\\join", "\\me", "\\msg", "\\nick", "\\rooms", "\\who",
};

}  // namespace

bool ClientSession::observe(const ServerLine& line) {
  if (!line.sent_at.empty()) return false;  // history says nothing about now
  switch (line.kind) {
    case ServerLine::Kind::Chat:
    case ServerLine::Kind::Private:
    case ServerLine::Kind::PrivateEcho:
      learn_name(line.sender);
      return false;
    case ServerLine::Kind::Info:
      break;
    default:
      return false;
  }
  const std::string_view text = line.text;
  if (text.starts_with("you are now known as ")) {
    nickname_ = text.substr(21);
    return true;
  }
  if (text.starts_with("you joined ")) {
    const std::string_view rest = text.substr(11);
    room_ = rest.substr(0, rest.find(' '));
    return true;
  }
  if (text.starts_with("in ")) {  // \who: "in ROOM (N): a, b, c"
    const std::size_t colon = text.find("): ");
    if (colon == std::string_view::npos) return false;
    std::string_view names = text.substr(colon + 3);
    while (!names.empty()) {
      const std::size_t comma = names.find(", ");
      learn_name(names.substr(0, comma));
      if (comma == std::string_view::npos) break;
      names.remove_prefix(comma + 2);
    }
    return false;
  }
  if (const std::size_t known = text.find(" is now known as "); known != std::string_view::npos) {
    forget_name(text.substr(0, known));
    learn_name(text.substr(known + 17));
  } else if (text.ends_with(" joined")) {
    learn_name(text.substr(0, text.size() - 7));
  } else if (const std::size_t left = text.find(" left"); left != std::string_view::npos) {
    forget_name(text.substr(0, left));
  }
  return false;
}

std::string ClientSession::prompt() const {
  // The names come from the server as they are: made harmless here, and kept short, since
  // another server than ours may send anything at all.
  std::string prompt = "[";
  prompt += prompt_text(room_, kMaxPromptNameCharacters);
  prompt += "]";
  if (!nickname_.empty()) {
    prompt += " ";
    prompt += prompt_text(nickname_, kMaxPromptNameCharacters);
  }
  prompt += "> ";
  return prompt;
}

std::vector<std::string> ClientSession::complete(std::string_view word, bool first_word) const {
  std::vector<std::string> matches;
  if (first_word && word.starts_with("\\")) {
    for (const std::string_view command : kCommands) {
      if (command.starts_with(word)) matches.emplace_back(command);
    }
    return matches;
  }
  const std::string folded = fold_name(word);
  for (const std::string& name : names_) {
    if (name != nickname_ && fold_name(name).starts_with(folded)) matches.push_back(name);
  }
  return matches;
}

void ClientSession::learn_name(std::string_view name) {
  // Only names that could be nicknames: addresses are not worth completing, and nothing
  // else from the server is trusted into the editor.
  if (is_valid_name(name)) names_.emplace(name);
}

void ClientSession::forget_name(std::string_view name) { names_.erase(std::string(name)); }

}  // namespace chatroom
