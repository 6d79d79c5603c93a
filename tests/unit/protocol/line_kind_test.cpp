// Which lines are blank, a \close, or text to act on.
#include "protocol/line_kind.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

TEST(LineKind, BlankLinesAreRecognised) {
  EXPECT_EQ(classify_line(""), LineKind::Blank);
  EXPECT_EQ(classify_line(" \t "), LineKind::Blank);
}

TEST(LineKind, CloseCommandIsRecognisedWithStraySpaces) {
  EXPECT_EQ(classify_line("\\close"), LineKind::Close);
  EXPECT_EQ(classify_line("  \\close\t"), LineKind::Close);
  EXPECT_EQ(classify_line("\\closed"), LineKind::Text);
  EXPECT_EQ(classify_line("say \\close"), LineKind::Text);
}

}  // namespace
}  // namespace chatroom
