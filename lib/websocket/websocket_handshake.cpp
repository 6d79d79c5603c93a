// Checking the upgrade request's headers and computing Sec-WebSocket-Accept.
#include "websocket/websocket_handshake.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace chatroom {
namespace {

constexpr std::string_view kHandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// Whether the comma-separated header value lists `token` (compared regardless of case).
bool lists_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
    if (std::equal(item.begin(), item.end(), token.begin(), token.end(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// A key is 16 random bytes in base64: 24 characters, the last two "==".
bool is_valid_key(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  return std::all_of(key.begin(), key.begin() + 22, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
  });
}

WebSocketUpgradeAnswer refusal(int status, std::string why) {
  WebSocketUpgradeAnswer answer;
  answer.response = HttpResponse::text(status, std::move(why) + "\n");
  answer.response.close = true;
  return answer;
}

}  // namespace

std::string websocket_accept_key(std::string_view client_key) {
  std::string input(client_key);
  input.append(kHandshakeGuid);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &digest_size, EVP_sha1(), nullptr);
  std::array<unsigned char, 4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1> encoded{};
  const int encoded_size = EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(digest_size));
  return {reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(encoded_size)};
}

WebSocketUpgradeAnswer answer_websocket_upgrade(const HttpRequest& request, const OriginPolicy& origins) {
  if (request.method != "GET") {
    WebSocketUpgradeAnswer answer = refusal(405, "a WebSocket opens with GET");
    answer.response.headers.emplace_back("Allow", "GET");
    return answer;
  }
  const auto upgrade = request.header("Upgrade");
  const auto connection = request.header("Connection");
  if (!upgrade || !lists_token(*upgrade, "websocket") || !connection || !lists_token(*connection, "upgrade")) {
    WebSocketUpgradeAnswer answer = refusal(426, "this is the chat's WebSocket endpoint: connect with a WebSocket client");
    answer.response.headers.emplace_back("Upgrade", "websocket");
    return answer;
  }
  const auto version = request.header("Sec-WebSocket-Version");
  if (!version || *version != "13") {
    WebSocketUpgradeAnswer answer = refusal(426, "only WebSocket version 13 is spoken here");
    answer.response.headers.emplace_back("Sec-WebSocket-Version", "13");
    return answer;
  }
  const auto key = request.header("Sec-WebSocket-Key");
  if (!key || !is_valid_key(*key)) return refusal(400, "missing or malformed Sec-WebSocket-Key");
  if (!origins.allows(request.header("Origin"), request.header("Host"))) {
    return refusal(403, "pages from origin " + std::string(*request.header("Origin")) +
                            " may not open this chat (see --http-allow-origin)");
  }
  WebSocketUpgradeAnswer answer;
  answer.accepted = true;
  answer.response.status = 101;
  answer.response.headers = {{"Upgrade", "websocket"},
                             {"Connection", "Upgrade"},
                             {"Sec-WebSocket-Accept", websocket_accept_key(*key)}};
  return answer;
}

}  // namespace chatroom
