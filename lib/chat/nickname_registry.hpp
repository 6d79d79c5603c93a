// Who holds which nickname, server-wide and case-insensitively.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "chat/participant.hpp"

namespace chatroom {

class NicknameRegistry {
 public:
  enum class Claim {
    Claimed,    // the name is now the owner's (any earlier one of theirs must be released)
    Unchanged,  // the owner already holds this name, perhaps spelt differently
    Invalid,    // breaks the name rules
    Reserved,   // a name the server uses itself
    Taken,      // someone else holds it
  };

  Claim claim(std::string_view name, Participant& owner);
  void release(std::string_view name);
  [[nodiscard]] Participant* owner_of(std::string_view name) const;
  [[nodiscard]] std::size_t size() const { return owners_.size(); }

 private:
  std::unordered_map<std::string, Participant*> owners_;  // by folded name
};

}  // namespace chatroom
