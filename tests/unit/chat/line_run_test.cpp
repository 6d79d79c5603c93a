// The lines of one read, held to be said together.
#include "chat/line_run.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chatroom {
namespace {

TEST(LineRun, KeepsCopiesOfItsLinesInOrderEmptyOnesIncluded) {
  LineRun run;
  EXPECT_TRUE(run.empty());
  {
    std::string framed = "first";
    run.add(framed);
    framed = "overwritten by the next read";
  }
  run.add("");
  run.add("third");
  ASSERT_EQ(run.size(), 3U);
  EXPECT_EQ(run[0], "first") << "a copy: the framer's view lasts only for its call";
  EXPECT_EQ(run[1], "");
  EXPECT_EQ(run[2], "third");
  run.clear();
  EXPECT_TRUE(run.empty());
  run.add("again");
  EXPECT_EQ(run[0], "again");
}

}  // namespace
}  // namespace chatroom
