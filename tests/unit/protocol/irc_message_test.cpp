// Parsing IRC messages as RFC 1459, RFC 2812 and IRCv3 message-tags define them, on the kinds
// of lines real clients and bots send.
#include "protocol/irc_message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chatroom {
namespace {

using Params = std::vector<std::string_view>;

IrcMessage parsed(std::string_view line) {
  IrcParseResult result = parse_irc_message(line);
  EXPECT_TRUE(result.message.has_value()) << "refused: " << line;
  return result.message.value_or(IrcMessage{});
}

IrcParseError refused(std::string_view line) {
  const IrcParseResult result = parse_irc_message(line);
  EXPECT_FALSE(result.message.has_value()) << "accepted: " << line;
  return result.error;
}

TEST(IrcMessage, ACommandWithMiddleParameters) {
  const IrcMessage message = parsed("foo bar baz asdf");
  EXPECT_EQ(message.command, "foo");
  EXPECT_EQ(message.params, (Params{"bar", "baz", "asdf"}));
  EXPECT_TRUE(message.prefix.empty());
}

TEST(IrcMessage, APrefixIsTakenWithoutItsColon) {
  const IrcMessage message = parsed(":alice!al@example.org PRIVMSG #den :hello there");
  EXPECT_EQ(message.prefix, "alice!al@example.org");
  EXPECT_EQ(message.command, "PRIVMSG");
  EXPECT_EQ(message.params, (Params{"#den", "hello there"}));
}

TEST(IrcMessage, TheTrailingParameterKeepsSpacesColonsAndItsTrailingSpace) {
  EXPECT_EQ(parsed("PRIVMSG #den :lol :) ").params, (Params{"#den", "lol :) "}));
  EXPECT_EQ(parsed("PRIVMSG #den ::colon first").params, (Params{"#den", ":colon first"}));
  EXPECT_EQ(parsed("TOPIC #den :").params, (Params{"#den", ""})) << "an empty trailing parameter clears a topic";
}

TEST(IrcMessage, IrssisCapabilityProbeIsAJoinWithOneEmptyParameter) {
  const IrcMessage message = parsed("JOIN :");
  EXPECT_EQ(message.command, "JOIN");
  EXPECT_EQ(message.params, (Params{""}));
}

TEST(IrcMessage, RunsOfSpacesSeparateLikeOne) {
  EXPECT_EQ(parsed("  PRIVMSG    #den    :hi  ").params, (Params{"#den", "hi  "}));
  EXPECT_EQ(parsed("MODE #den b   ").params, (Params{"#den", "b"}));
}

TEST(IrcMessage, TheFifteenthParameterTakesTheRestOfTheLine) {
  const IrcMessage message = parsed("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16");
  ASSERT_EQ(message.params.size(), kIrcMaxParams);
  EXPECT_EQ(message.params.back(), "15 16");
  EXPECT_EQ(parsed("CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :  15").params.back(), "  15")
      << "with its ':' the fifteenth keeps its leading spaces";
}

TEST(IrcMessage, NumericsAreThreeDigitsAndNothingElse) {
  EXPECT_EQ(parsed(":server 001 alice :Welcome").command, "001");
  EXPECT_EQ(refused("01 x"), IrcParseError::BadCommand);
  EXPECT_EQ(refused("0a1 x"), IrcParseError::BadCommand);
  EXPECT_EQ(refused("PRIV-MSG x"), IrcParseError::BadCommand);
}

TEST(IrcMessage, TagsAreParsedWithTheirEscapesUndone) {
  const IrcMessage message = parsed("@a=b\\\\and\\nk;c=72\\s45;d=gh\\:764;+draft/reply=abc;flag foo");
  EXPECT_EQ(message.command, "foo");
  ASSERT_NE(message.tag("a"), nullptr);
  EXPECT_EQ(*message.tag("a"), "b\\and\nk");
  EXPECT_EQ(*message.tag("c"), "72 45");
  EXPECT_EQ(*message.tag("d"), "gh;764");
  EXPECT_EQ(*message.tag("+draft/reply"), "abc") << "client tags keep their +";
  EXPECT_EQ(*message.tag("flag"), "") << "a tag without a value";
  EXPECT_EQ(message.tag("missing"), nullptr);
}

TEST(IrcMessage, AKeyGivenTwiceKeepsItsLastValueAndEmptyTagsAreSkipped) {
  const IrcMessage message = parsed("@a=1;;a=2; :prefix CMD");
  ASSERT_EQ(message.tags.size(), 1U);
  EXPECT_EQ(*message.tag("a"), "2");
  EXPECT_EQ(message.prefix, "prefix");
}

TEST(IrcMessage, MalformedOrMissingPartsAreRefusedWithTheirReason) {
  EXPECT_EQ(refused(""), IrcParseError::Empty);
  EXPECT_EQ(refused("    "), IrcParseError::Empty);
  EXPECT_EQ(refused("@ foo"), IrcParseError::BadTags);
  EXPECT_EQ(refused("@=x foo"), IrcParseError::BadTags);
  EXPECT_EQ(refused("@a b=c foo"), IrcParseError::BadCommand) << "'b=c' is the command here";
  EXPECT_EQ(refused("@a=1"), IrcParseError::NoCommand);
  EXPECT_EQ(refused(":prefix"), IrcParseError::NoCommand);
  EXPECT_EQ(refused(":prefix   "), IrcParseError::NoCommand);
}

TEST(IrcMessage, The512ByteLimitCountsTheMessageWithoutItsTags) {
  const std::string head = "PRIVMSG #den :";
  const std::string at_limit = head + std::string(kIrcMaxMessageBytes - head.size(), 'x');
  EXPECT_EQ(parsed(at_limit).params.back().size(), kIrcMaxMessageBytes - head.size());
  EXPECT_EQ(refused(at_limit + "x"), IrcParseError::TooLong);
  const std::string tags = "@+note=" + std::string(4000, 't') + " ";
  EXPECT_TRUE(parse_irc_message(tags + at_limit).message.has_value()) << "tags have their own budget";
  EXPECT_EQ(refused("@+note=" + std::string(kIrcMaxClientTagBytes, 't') + " " + at_limit), IrcParseError::TagsTooLong);
}

TEST(IrcMessage, CommandsCompareWhateverTheirCase) {
  EXPECT_TRUE(irc_command_is("privmsg", "PRIVMSG"));
  EXPECT_TRUE(irc_command_is("PrivMsg", "PRIVMSG"));
  EXPECT_FALSE(irc_command_is("PRIVMSGX", "PRIVMSG"));
  EXPECT_FALSE(irc_command_is("NOTICE", "PRIVMSG"));
}

TEST(IrcMessage, TagValuesSurviveEscapingAndAStrayBackslashIsDropped) {
  const std::string awkward = "a; b\\c\r\nd";
  EXPECT_EQ(escape_irc_tag_value(awkward), "a\\:\\sb\\\\c\\r\\nd");
  EXPECT_EQ(unescape_irc_tag_value(escape_irc_tag_value(awkward)), awkward);
  EXPECT_EQ(unescape_irc_tag_value("ends\\"), "ends");
  EXPECT_EQ(unescape_irc_tag_value("\\b"), "b") << "an unknown escape is the character itself";
}

}  // namespace
}  // namespace chatroom
