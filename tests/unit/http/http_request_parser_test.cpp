#include "http/http_request_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chatroom {
namespace {

using Outcome = HttpRequestParser::Outcome;

TEST(HttpRequestParser, ACompleteGetGivesItsMethodTargetAndHeaders) {
  HttpRequestParser parser({});
  const std::string request = "GET /metrics?x=1 HTTP/1.1\r\nHost: example\r\nAccept: text/plain\r\n\r\n";
  const auto result = parser.feed(request);
  ASSERT_EQ(result.outcome, Outcome::Complete);
  EXPECT_EQ(result.consumed, request.size());
  EXPECT_EQ(parser.request().method, "GET");
  EXPECT_EQ(parser.request().target, "/metrics?x=1");
  EXPECT_EQ(parser.request().path(), "/metrics");
  EXPECT_EQ(parser.request().header("host"), "example");
  EXPECT_EQ(parser.request().header("ACCEPT"), "text/plain");
  EXPECT_FALSE(parser.request().header("Cookie"));
  EXPECT_TRUE(parser.request().keep_alive);
}

TEST(HttpRequestParser, ARequestArrivingAByteAtATimeIsTheSameRequest) {
  HttpRequestParser parser({});
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: a-long-host-name\r\nX-Long: value\r\n\r\n";
  for (std::size_t i = 0; i + 1 < request.size(); ++i) {
    ASSERT_EQ(parser.feed(request.substr(i, 1)).outcome, Outcome::NeedMore) << i;
  }
  ASSERT_EQ(parser.feed(request.substr(request.size() - 1)).outcome, Outcome::Complete);
  EXPECT_EQ(parser.request().target, "/healthz");
  EXPECT_EQ(parser.request().header("host"), "a-long-host-name");
  EXPECT_EQ(parser.request().header("x-long"), "value");
}

TEST(HttpRequestParser, PipelinedRequestsAreTakenOneAtATime) {
  HttpRequestParser parser({});
  const std::string first = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string both = first + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  const auto result = parser.feed(both);
  ASSERT_EQ(result.outcome, Outcome::Complete);
  EXPECT_EQ(result.consumed, first.size());
  EXPECT_EQ(parser.request().target, "/a");
  parser.reset();
  ASSERT_EQ(parser.feed(std::string_view(both).substr(result.consumed)).outcome, Outcome::Complete);
  EXPECT_EQ(parser.request().target, "/b");
}

TEST(HttpRequestParser, Http10ClosesUnlessAskedToKeepAlive) {
  HttpRequestParser parser({});
  ASSERT_EQ(parser.feed("GET / HTTP/1.0\r\n\r\n").outcome, Outcome::Complete);
  EXPECT_FALSE(parser.request().keep_alive);
  parser.reset();
  ASSERT_EQ(parser.feed("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").outcome, Outcome::Complete);
  EXPECT_FALSE(parser.request().keep_alive);
}

TEST(HttpRequestParser, AHeadPastTheLimitIsRefusedBeforeItIsAllRead) {
  HttpRequestParser parser({.max_head_bytes = 100, .max_headers = 64, .max_body_bytes = 0});
  const auto result = parser.feed("GET /" + std::string(200, 'a') + " HTTP/1.1\r\n");
  EXPECT_EQ(result.outcome, Outcome::TooLarge);
  EXPECT_FALSE(parser.body_too_large());
}

TEST(HttpRequestParser, TooManyHeadersAreRefused) {
  HttpRequestParser parser({.max_head_bytes = 8192, .max_headers = 3, .max_body_bytes = 0});
  std::string request = "GET / HTTP/1.1\r\n";
  for (const char* header : {"H0: v\r\n", "H1: v\r\n", "H2: v\r\n", "H3: v\r\n"}) request.append(header);
  EXPECT_EQ(parser.feed(request + "\r\n").outcome, Outcome::TooLarge);
}

TEST(HttpRequestParser, ASmallBodyIsDroppedAndALargeOneRefused) {
  HttpRequestParser parser({.max_head_bytes = 8192, .max_headers = 64, .max_body_bytes = 10});
  ASSERT_EQ(parser.feed("POST /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").outcome, Outcome::Complete);
  EXPECT_EQ(parser.request().method, "POST");
  parser.reset();
  EXPECT_EQ(parser.feed("POST /metrics HTTP/1.1\r\nContent-Length: 50\r\n\r\n" + std::string(50, 'x')).outcome,
            Outcome::TooLarge);
  EXPECT_TRUE(parser.body_too_large());
}

TEST(HttpRequestParser, GarbageIsInvalid) {
  HttpRequestParser parser({});
  EXPECT_EQ(parser.feed("\x16\x03\x01 not http at all\r\n\r\n").outcome, Outcome::Invalid);
  EXPECT_FALSE(parser.error().empty());
  parser.reset();
  EXPECT_EQ(parser.feed("GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n").outcome, Outcome::Invalid);
}

TEST(HttpRequestParser, AnUpgradeRequestIsCompleteAndSaysSo) {
  HttpRequestParser parser({});
  ASSERT_EQ(parser.feed("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n").outcome,
            Outcome::Complete);
  EXPECT_TRUE(parser.request().upgrade);
}

}  // namespace
}  // namespace chatroom
