#include "chat/nickname_registry.hpp"

#include <gtest/gtest.h>


namespace chatroom {
namespace {

struct Someone final : Participant {
  void deliver(const SharedBytes&) override {}
};

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
