// The web client's files (web/ in the source tree), compiled into the daemon so that it needs
// no data directory and the page always matches the server that serves it. The table is
// generated at build time by scripts/embed_files.py.
#pragma once

#include <span>
#include <string_view>

namespace chatroom {

struct WebAsset {
  std::string_view path;  // "/app.js"
  std::string_view content_type;
  std::string_view bytes;
};

std::span<const WebAsset> web_assets();
// The file served at `path`; "/" is "/index.html". Null if there is none.
const WebAsset* find_web_asset(std::string_view path);

}  // namespace chatroom
