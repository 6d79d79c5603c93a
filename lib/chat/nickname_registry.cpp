// Nickname claims.
#include "chat/nickname_registry.hpp"

#include "chat/name_rules.hpp"

namespace chatroom {

NicknameRegistry::Claim NicknameRegistry::claim(std::string_view name, Participant& owner) {
  if (!is_valid_name(name)) return Claim::Invalid;
  std::string folded = fold_name(name);
  // "server" signs the console's broadcasts; nobody may speak as it.
  if (folded == "server") return Claim::Reserved;
  const auto [held, inserted] = owners_.try_emplace(std::move(folded), &owner);
  if (inserted) return Claim::Claimed;
  return held->second == &owner ? Claim::Unchanged : Claim::Taken;
}

void NicknameRegistry::release(std::string_view name) { owners_.erase(fold_name(name)); }

Participant* NicknameRegistry::owner_of(std::string_view name) const {
  const auto found = owners_.find(fold_name(name));
  return found == owners_.end() ? nullptr : found->second;
}

}  // namespace chatroom
