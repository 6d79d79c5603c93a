#include "chat/nickname_registry.hpp"

#include <gtest/gtest.h>

#include "chat/name_rules.hpp"

namespace chatroom {
namespace {

struct Someone final : Participant {
  void deliver(const SharedBytes&) override {}
};

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

TEST(NicknameRegistry, NamesAreUniqueCaseInsensitively) {
  NicknameRegistry names;
  Someone alice;
  Someone impostor;
  EXPECT_EQ(names.claim("Alice", alice), NicknameRegistry::Claim::Claimed);
  EXPECT_EQ(names.claim("alice", impostor), NicknameRegistry::Claim::Taken);
  EXPECT_EQ(names.claim("ALICE", alice), NicknameRegistry::Claim::Unchanged);
  EXPECT_EQ(names.owner_of("aLiCe"), &alice);
  EXPECT_EQ(names.owner_of("bob"), nullptr);
}

TEST(NicknameRegistry, InvalidAndReservedNamesAreRefused) {
  NicknameRegistry names;
  Someone someone;
  EXPECT_EQ(names.claim("two words", someone), NicknameRegistry::Claim::Invalid);
  EXPECT_EQ(names.claim("Server", someone), NicknameRegistry::Claim::Reserved);
  EXPECT_EQ(names.size(), 0u);
}

TEST(NicknameRegistry, AReleasedNameCanBeTakenAgain) {
  NicknameRegistry names;
  Someone first;
  Someone second;
  ASSERT_EQ(names.claim("carol", first), NicknameRegistry::Claim::Claimed);
  names.release("CAROL");
  EXPECT_EQ(names.claim("carol", second), NicknameRegistry::Claim::Claimed);
  EXPECT_EQ(names.owner_of("carol"), &second);
}

}  // namespace
}  // namespace chatroom
