// What the client knows of its session from the server's lines: the room it is in, its
// nickname, and the names it has seen, for the prompt and for tab completion.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/server_line.hpp"

namespace chatroom {

class ClientSession {
 public:
  // Learns from one line from the server; true if the room or nickname changed.
  bool observe(const ServerLine& line);

  [[nodiscard]] const std::string& room() const { return room_; }
  [[nodiscard]] const std::string& nickname() const { return nickname_; }
  // "[lobby]> " before a nickname is taken, "[dev] alice> " after; the names made harmless
  // for the terminal (see prompt_text).
  [[nodiscard]] std::string prompt() const;

  // Completions for `word`, the word being typed; `first_word` when it starts the line.
  // The first word completes to commands, the others to names seen (sorted).
  [[nodiscard]] std::vector<std::string> complete(std::string_view word, bool first_word) const;

 private:
  void learn_name(std::string_view name);
  void forget_name(std::string_view name);

  std::string room_ = "lobby";
  std::string nickname_;
  std::set<std::string> names_;
};

}  // namespace chatroom
