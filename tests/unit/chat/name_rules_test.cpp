// Name rules: what a nickname or room name may be, and how names fold for comparison.
#include "chat/name_rules.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chatroom {
namespace {

TEST(NameRules, LettersDigitsUnderscoreAndDashUpTo32) {
  EXPECT_TRUE(is_valid_name("alice"));
  EXPECT_TRUE(is_valid_name("Bob_2-x"));
  EXPECT_TRUE(is_valid_name(std::string(32, 'a')));
  EXPECT_FALSE(is_valid_name(std::string(33, 'a')));
  EXPECT_FALSE(is_valid_name(""));
  EXPECT_FALSE(is_valid_name("with space"));
  EXPECT_FALSE(is_valid_name("127.0.0.1:4000")) << "never mistaken for an address";
  EXPECT_FALSE(is_valid_name("caf\xC3\xA9"));
  EXPECT_FALSE(is_valid_name("\\nick"));
  EXPECT_EQ(fold_name("AliCe_1"), "alice_1");
}

}  // namespace
}  // namespace chatroom
