// Origin checks: an exact match against the list, or the same host.
#include "websocket/origin_policy.hpp"

#include <algorithm>
#include <cctype>

namespace chatroom {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

bool OriginPolicy::allows(std::optional<std::string_view> origin, std::optional<std::string_view> host) const {
  if (!origin) return true;
  if (allowed_.empty()) {
    const std::size_t scheme_end = origin->find("://");
    if (scheme_end == std::string_view::npos || !host) return false;
    return equal_ignoring_case(origin->substr(scheme_end + 3), *host);
  }
  return std::any_of(allowed_.begin(), allowed_.end(), [&](const std::string& allowed) {
    return allowed == "*" || equal_ignoring_case(allowed, *origin);
  });
}

}  // namespace chatroom
