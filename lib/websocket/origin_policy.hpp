// Which web pages may open a WebSocket to us (--http-allow-origin). A browser names the page
// in the Origin header of every WebSocket request; without a check any site a user visits
// could chat in their name from their browser. Clients that are not browsers send no Origin
// and are not asked: they could claim any.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatroom {

class OriginPolicy {
 public:
  // `allowed`: origins as browsers send them ("https://chat.example.org", scheme and host, and
  // the port unless the scheme's default), or "*" for any. Empty: only pages served from the
  // host the request was sent to (Origin's host and port equal the Host header).
  explicit OriginPolicy(std::vector<std::string> allowed = {}) : allowed_(std::move(allowed)) {}

  [[nodiscard]] bool allows(std::optional<std::string_view> origin, std::optional<std::string_view> host) const;
  [[nodiscard]] const std::vector<std::string>& allowed() const { return allowed_; }

 private:
  std::vector<std::string> allowed_;
};

}  // namespace chatroom
