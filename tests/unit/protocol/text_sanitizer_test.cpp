#include "protocol/text_sanitizer.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(TextSanitizer, PrintableAsciiAndTabPassUnchanged) {
  EXPECT_EQ(sanitized("hello,\tworld ~!"), "hello,\tworld ~!");
}

TEST(TextSanitizer, ValidMultibyteUtf8PassesUnchanged) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE4\xB8\xAD";
  EXPECT_EQ(sanitized(text), text);
}

TEST(TextSanitizer, EscapeSequencesLoseTheirEscapeByte) {
  EXPECT_EQ(sanitized("\x1B[2J\x1B]0;title\x07red"), "[2J]0;titlered");
}

TEST(TextSanitizer, ControlCharactersOtherThanTabAreDropped) {
  EXPECT_EQ(sanitized(std::string("a\x00" "b\x01\x08\x0B\x0C\r\x7F" "c", 10)), "abc");
}

TEST(TextSanitizer, C1ControlsAreDropped) {
  // U+009B is a one-character CSI to some terminals.
  EXPECT_EQ(sanitized("x\xC2\x9B" "31my\xC2\x85"), "x31my");
  EXPECT_EQ(sanitized("\xC2\xA0"), "\xC2\xA0") << "U+00A0 is printable";
}

TEST(TextSanitizer, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(sanitized("a\xFF" "b"), "a" + kReplacement + "b");
  EXPECT_EQ(sanitized("\x80"), kReplacement) << "lone continuation byte";
  EXPECT_EQ(sanitized("\xC3"), kReplacement) << "truncated sequence";
  EXPECT_EQ(sanitized("\xE2\x82" "x"), kReplacement + kReplacement + "x");
}

TEST(TextSanitizer, OverlongSurrogateAndOutOfRangeFormsAreInvalid) {
  EXPECT_EQ(sanitized("\xC0\xAF"), kReplacement + kReplacement) << "overlong '/'";
  EXPECT_EQ(sanitized("\xE0\x80\xAF"), kReplacement + kReplacement + kReplacement) << "overlong";
  EXPECT_EQ(sanitized("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement) << "surrogate";
  EXPECT_EQ(sanitized("\xF4\x90\x80\x80"), kReplacement + kReplacement + kReplacement + kReplacement)
      << "past U+10FFFF";
}

TEST(TextSanitizer, OutputIsAlwaysValidAndControlFreeForArbitraryBytes) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  const std::string clean = sanitized(bytes + bytes);
  EXPECT_EQ(sanitized(clean), clean) << "sanitising is idempotent, so the output is already clean";
  for (const char c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_FALSE(byte < 0x20 && byte != '\t');
    EXPECT_NE(byte, 0x7F);
  }
}

TEST(TextSanitizer, VisibleFormShowsControlsInCaretNotation) {
  std::string out;
  append_visible(out, std::string("a\x1b" "b\x7f\x01\tc\xff", 8));
  EXPECT_EQ(out, "a^[b^?^A\tc\xEF\xBF\xBD");
}

TEST(TextSanitizer, SanitizedWithinStaysWithinItsBytesAndNeverSplitsACharacter) {
  EXPECT_EQ(sanitized_within("lunch", 390), "lunch");
  EXPECT_EQ(sanitized_within("caf\xc3\xa9", 4), "caf") << "the two-byte \u00e9 does not fit in 4";
  EXPECT_EQ(sanitized_within("ab\x1b[31m", 10), "ab[31m") << "controls dropped";
  // Two bad bytes become two three-byte U+FFFD: the cut comes after the growth.
  const std::string grown = sanitized_within("\xff\xff", 4);
  EXPECT_EQ(grown, "\xEF\xBF\xBD");
  EXPECT_LE(sanitized_within(std::string(500, 'x'), 390).size(), 390U);
}

}  // namespace
}  // namespace chatroom
