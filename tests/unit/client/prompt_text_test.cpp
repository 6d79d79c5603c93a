#include "client/prompt_text.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <string>

namespace chatroom {
namespace {

// Runs each test in one character type, and restores the process's afterwards.
class PromptTextIn : public ::testing::Test {
 protected:
  void use(const char* locale) { ASSERT_NE(std::setlocale(LC_CTYPE, locale), nullptr) << locale; }
  void TearDown() override { std::setlocale(LC_CTYPE, saved_.c_str()); }

 private:
  std::string saved_ = std::setlocale(LC_CTYPE, nullptr);
};

TEST_F(PromptTextIn, Utf8ShowsNamesAsTheyAreAndControlsAsCarets) {
  use("C.UTF-8");
  EXPECT_EQ(prompt_text("alice", 32), "alice");
  EXPECT_EQ(prompt_text("h\xC3\xA9llo \xE2\x9C\x93", 32), "h\xC3\xA9llo \xE2\x9C\x93");
  EXPECT_EQ(prompt_text(std::string("a\0b", 3), 32), "a^@b");
  EXPECT_EQ(prompt_text("\x1B]2;title\x07", 32), "^[]2;title^G");
  EXPECT_EQ(prompt_text("a\tb\rc", 32), "a b^Mc");
  EXPECT_EQ(prompt_text("\xC2\x9B" "1m", 32), "<U+009B>1m");
}

TEST_F(PromptTextIn, Utf8ReplacesInvalidUnprintableAndBidiCharacters) {
  use("C.UTF-8");
  EXPECT_EQ(prompt_text("\xFF\xFE", 32), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(prompt_text("\xED\xA0\x80", 32), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate";
  EXPECT_EQ(prompt_text("x\xE2\x80\xAEy", 32), "x\xEF\xBF\xBDy") << "right-to-left override";
  EXPECT_EQ(prompt_text("\xEF\xBF\xBF", 32), "\xEF\xBF\xBD") << "U+FFFF is no character";
}

TEST_F(PromptTextIn, TheCLocaleGetsAsciiOnly) {
  use("C");
  EXPECT_EQ(prompt_text("h\xC3\xA9llo", 32), "h??llo");
  EXPECT_EQ(prompt_text("\x1B[31m", 32), "^[[31m");
}

TEST_F(PromptTextIn, LongNamesAreCutByCharactersNotBytes) {
  use("C.UTF-8");
  EXPECT_EQ(prompt_text(std::string(5000, 'x'), 32), std::string(32, 'x') + "...");
  std::string checks;
  for (int i = 0; i < 40; ++i) checks += "\xE2\x9C\x93";
  std::string expected;
  for (int i = 0; i < 10; ++i) expected += "\xE2\x9C\x93";
  EXPECT_EQ(prompt_text(checks, 10), expected + "...");
  EXPECT_EQ(prompt_text(std::string(32, 'x'), 32), std::string(32, 'x')) << "exactly the limit is not cut";
}

}  // namespace
}  // namespace chatroom
