// The WebSocket opening handshake (RFC 6455 section 4) and the origin policy.
#include "websocket/websocket_handshake.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "http/http_request.hpp"
#include "websocket/origin_policy.hpp"

namespace chatroom {
namespace {

HttpRequest upgrade_request() {
  HttpRequest request;
  request.method = "GET";
  request.target = "/ws";
  request.upgrade = true;
  request.headers = {{"Host", "127.0.0.1:7080"},
                     {"Upgrade", "websocket"},
                     {"Connection", "keep-alive, Upgrade"},
                     {"Sec-WebSocket-Version", "13"},
                     {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  return request;
}

void set_header(HttpRequest& request, const std::string& name, std::optional<std::string> value) {
  std::erase_if(request.headers, [&](const auto& header) { return header.first == name; });
  if (value) request.headers.emplace_back(name, *value);
}

TEST(WebSocketHandshake, AcceptKeyIsTheOneFromRfc6455) {
  EXPECT_EQ(websocket_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, AValidUpgradeIsAnswered101WithTheAcceptKey) {
  const WebSocketUpgradeAnswer answer = answer_websocket_upgrade(upgrade_request(), OriginPolicy());
  ASSERT_TRUE(answer.accepted);
  EXPECT_EQ(answer.response.status, 101);
  const std::string bytes = serialize(answer.response, true, false);
  EXPECT_TRUE(bytes.starts_with("HTTP/1.1 101 Switching Protocols\r\n")) << bytes;
  EXPECT_NE(bytes.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_EQ(bytes.find("Content-Length"), std::string::npos) << "a 101 response has no Content-Length";
  EXPECT_TRUE(bytes.ends_with("\r\n\r\n"));
}

TEST(WebSocketHandshake, BadUpgradesAreRefusedWithTheRightStatus) {
  HttpRequest no_upgrade = upgrade_request();
  set_header(no_upgrade, "Upgrade", std::nullopt);
  EXPECT_EQ(answer_websocket_upgrade(no_upgrade, OriginPolicy()).response.status, 426);

  HttpRequest old_version = upgrade_request();
  set_header(old_version, "Sec-WebSocket-Version", "8");
  const WebSocketUpgradeAnswer version_answer = answer_websocket_upgrade(old_version, OriginPolicy());
  EXPECT_EQ(version_answer.response.status, 426);
  ASSERT_FALSE(version_answer.response.headers.empty());
  EXPECT_EQ(version_answer.response.headers[0].first, "Sec-WebSocket-Version");

  HttpRequest bad_key = upgrade_request();
  set_header(bad_key, "Sec-WebSocket-Key", "not a key");
  EXPECT_EQ(answer_websocket_upgrade(bad_key, OriginPolicy()).response.status, 400);

  HttpRequest post = upgrade_request();
  post.method = "POST";
  EXPECT_EQ(answer_websocket_upgrade(post, OriginPolicy()).response.status, 405);

  for (const HttpRequest& refused : {no_upgrade, old_version, bad_key, post}) {
    EXPECT_FALSE(answer_websocket_upgrade(refused, OriginPolicy()).accepted);
  }
}

TEST(WebSocketHandshake, OriginsAreCheckedAgainstTheHostOrTheAllowList) {
  HttpRequest same_host = upgrade_request();
  set_header(same_host, "Origin", "http://127.0.0.1:7080");
  EXPECT_TRUE(answer_websocket_upgrade(same_host, OriginPolicy()).accepted);

  HttpRequest other_site = upgrade_request();
  set_header(other_site, "Origin", "https://evil.example");
  EXPECT_EQ(answer_websocket_upgrade(other_site, OriginPolicy()).response.status, 403);
  EXPECT_TRUE(answer_websocket_upgrade(other_site, OriginPolicy({"https://evil.example"})).accepted);
  EXPECT_TRUE(answer_websocket_upgrade(other_site, OriginPolicy({"*"})).accepted);
  EXPECT_FALSE(answer_websocket_upgrade(same_host, OriginPolicy({"https://chat.example.org"})).accepted)
      << "an allow-list replaces the same-host default";

  // Not a browser: nothing to protect, and it could claim any origin anyway.
  EXPECT_TRUE(answer_websocket_upgrade(upgrade_request(), OriginPolicy({"https://chat.example.org"})).accepted);
}

}  // namespace
}  // namespace chatroom
