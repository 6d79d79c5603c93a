// Looking up the embedded web client files.
#include "web/web_assets.hpp"

#include <algorithm>

namespace chatroom {

const WebAsset* find_web_asset(std::string_view path) {
  if (path == "/") path = "/index.html";
  const std::span<const WebAsset> assets = web_assets();
  const auto found = std::find_if(assets.begin(), assets.end(), [&](const WebAsset& asset) { return asset.path == path; });
  return found == assets.end() ? nullptr : &*found;
}

}  // namespace chatroom
