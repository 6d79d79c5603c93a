#include "buffer/shared_bytes.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace chatroom {
namespace {

TEST(SharedBytes, CopiesShareOneBufferAndCountReferences) {
  const SharedBytes original = SharedBytes::copy_of("payload");
  std::vector<SharedBytes> recipients(100, original);
  EXPECT_EQ(original.use_count(), 101U);
  for (const SharedBytes& copy : recipients) EXPECT_EQ(copy.data(), original.data());
  recipients.clear();
  EXPECT_EQ(original.use_count(), 1U);
  EXPECT_EQ(original.view(), "payload");
}

TEST(SharedBytes, SaysHowManyMessagesItCarriesOneUnlessTold) {
  EXPECT_EQ(SharedBytes::copy_of("hi\n").messages(), 1U);
  EXPECT_EQ(SharedBytes::copy_of("a\nb\n", 2).messages(), 2U);
  EXPECT_EQ(SharedBytes().messages(), 0U);
}

TEST(SharedBytes, MoveLeavesTheSourceEmpty) {
  SharedBytes source = SharedBytes::copy_of("abc");
  const SharedBytes target = std::move(source);
  EXPECT_EQ(target.view(), "abc");
  EXPECT_EQ(target.use_count(), 1U);
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): documented moved-from state
}

TEST(SharedBytes, AssignmentReleasesThePreviousBuffer) {
  const SharedBytes first = SharedBytes::copy_of("first");
  SharedBytes holder = first;
  EXPECT_EQ(first.use_count(), 2U);
  holder = SharedBytes::copy_of("second");
  EXPECT_EQ(first.use_count(), 1U);
  EXPECT_EQ(holder.view(), "second");
  const SharedBytes& alias = holder;
  holder = alias;  // self-assignment keeps the bytes
  EXPECT_EQ(holder.view(), "second");
}

}  // namespace
}  // namespace chatroom
