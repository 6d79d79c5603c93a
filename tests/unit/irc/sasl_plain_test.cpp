// SASL PLAIN as IRCv3 carries it: base64 in chunks of 400, then authzid NUL authcid NUL password.
#include "irc/sasl_plain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace chatroom {
namespace {

TEST(Base64, DecodesWhatRfc4648EncodesAndRefusesTheRest) {
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_EQ(decode_base64("Zg=="), "f");
  EXPECT_EQ(decode_base64("Zm8="), "fo");
  EXPECT_EQ(decode_base64("Zm9v"), "foo");
  EXPECT_EQ(decode_base64("Zm9vYmFy"), "foobar");
  EXPECT_EQ(decode_base64("AGFsaWNlAHNlY3JldA=="), std::string("\0alice\0secret", 13));
  EXPECT_FALSE(decode_base64("Zm9"));       // not a multiple of four
  EXPECT_FALSE(decode_base64("Zm9v!A=="));  // not in the alphabet
  EXPECT_FALSE(decode_base64("Z==="));      // padding where data must be
  EXPECT_FALSE(decode_base64("Zg==Zm9v"));  // data after the padding
  EXPECT_FALSE(decode_base64("Zm=v"));
}

TEST(SaslPlainExchange, OneChunkGivesTheThreeFields) {
  SaslPlainExchange exchange;
  ASSERT_EQ(exchange.take("YWxpY2UAYWxpY2UAczNjcmV0"), SaslPlainExchange::Step::Complete);  // alice\0alice\0s3cret
  EXPECT_EQ(exchange.credentials().authzid, "alice");
  EXPECT_EQ(exchange.credentials().authcid, "alice");
  EXPECT_EQ(exchange.credentials().password, "s3cret");
}

// RFC 4648 base64, as a client writes it.
std::string encode_base64(const std::string& raw) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  for (std::size_t at = 0; at < raw.size(); at += 3) {
    const std::size_t n = std::min<std::size_t>(3, raw.size() - at);
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      group = (group << 8) | (i < n ? static_cast<unsigned char>(raw[at + i]) : 0U);
    }
    for (std::size_t i = 0; i < 4; ++i) encoded += i <= n ? kAlphabet[(group >> (18 - 6 * i)) & 63] : '=';
  }
  return encoded;
}

TEST(SaslPlainExchange, AFullChunkWaitsForTheRestAndPlusEndsAnExactFit) {
  // 300 bytes make exactly 400 of base64: "+" must follow.
  const std::string authcid(48, 'b');
  const std::string password(250, 'p');
  const std::string encoded = encode_base64(std::string(1, '\0') + authcid + '\0' + password);
  ASSERT_EQ(encoded.size(), kSaslChunkBytes);
  SaslPlainExchange exchange;
  ASSERT_EQ(exchange.take(encoded), SaslPlainExchange::Step::NeedMore);
  ASSERT_EQ(exchange.take("+"), SaslPlainExchange::Step::Complete);
  EXPECT_EQ(exchange.credentials().authzid, "");
  EXPECT_EQ(exchange.credentials().authcid, authcid);
  EXPECT_EQ(exchange.credentials().password, password);

  // Split where the client likes, as long as every chunk but the last is full.
  const std::string longer = encode_base64(std::string("x\0", 2) + authcid + '\0' + password + "pppp");
  ASSERT_GT(longer.size(), kSaslChunkBytes);
  SaslPlainExchange split;
  ASSERT_EQ(split.take(longer.substr(0, kSaslChunkBytes)), SaslPlainExchange::Step::NeedMore);
  ASSERT_EQ(split.take(longer.substr(kSaslChunkBytes)), SaslPlainExchange::Step::Complete);
  EXPECT_EQ(split.credentials().authzid, "x");
  EXPECT_EQ(split.credentials().password, password + "pppp");
  EXPECT_EQ(encode_base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(encode_base64("fo"), "Zm8=");
}

TEST(SaslPlainExchange, WhatIsNoPlainMessageIsRefused) {
  EXPECT_EQ(SaslPlainExchange().take("+"), SaslPlainExchange::Step::Malformed) << "nothing at all";
  EXPECT_EQ(SaslPlainExchange().take("not base64!"), SaslPlainExchange::Step::Malformed);
  EXPECT_EQ(SaslPlainExchange().take("YWxpY2U="), SaslPlainExchange::Step::Malformed) << "no NUL";
  EXPECT_EQ(SaslPlainExchange().take("AGFsaWNlAA=="), SaslPlainExchange::Step::Malformed) << "no password";
  EXPECT_EQ(SaslPlainExchange().take("AABzZWNyZXQ="), SaslPlainExchange::Step::Malformed) << "no authcid";
  EXPECT_EQ(SaslPlainExchange().take("AGEAYgBj"), SaslPlainExchange::Step::Malformed) << "a third NUL";
  EXPECT_EQ(SaslPlainExchange().take(std::string(401, 'A')), SaslPlainExchange::Step::TooLong);
  SaslPlainExchange endless;
  for (int i = 0; i < 2; ++i) ASSERT_EQ(endless.take(std::string(400, 'A')), SaslPlainExchange::Step::NeedMore);
  EXPECT_EQ(endless.take(std::string(400, 'A')), SaslPlainExchange::Step::TooLong) << "more than PLAIN can need";
}

}  // namespace
}  // namespace chatroom
