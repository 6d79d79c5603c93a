#include "protocol/command_line.hpp"

#include <gtest/gtest.h>

namespace chatroom {
namespace {

TEST(CommandLine, NameAndArgumentAreSplitAtTheFirstBlank) {
  const auto command = parse_command("\\nick   alice  ");
  ASSERT_TRUE(command);
  EXPECT_EQ(command->name, "nick");
  EXPECT_EQ(command->argument, "alice");
}

TEST(CommandLine, StrayBlanksAroundACommandAreIgnored) {
  const auto command = parse_command(" \t\\msg bob  hello  there ");
  ASSERT_TRUE(command);
  EXPECT_EQ(command->name, "msg");
  EXPECT_EQ(command->argument, "bob  hello  there");
  EXPECT_EQ(split_first_word(command->argument).word, "bob");
  EXPECT_EQ(split_first_word(command->argument).rest, "hello  there");
}

TEST(CommandLine, CommandWithoutArgumentHasAnEmptyOne) {
  const auto command = parse_command("\\who");
  ASSERT_TRUE(command);
  EXPECT_EQ(command->name, "who");
  EXPECT_TRUE(command->argument.empty());
}

TEST(CommandLine, ChatIsNotACommand) {
  EXPECT_FALSE(parse_command("hello \\nick"));
  EXPECT_FALSE(parse_command(""));
  EXPECT_FALSE(parse_command("   "));
}

TEST(CommandLine, DoubleBackslashIsChatStartingWithOneBackslash) {
  EXPECT_FALSE(parse_command("\\\\o/ hooray"));
  EXPECT_EQ(chat_text_of("\\\\o/ hooray"), "\\o/ hooray");
  EXPECT_EQ(chat_text_of("plain text"), "plain text");
}

TEST(CommandLine, LoneBackslashIsACommandWithAnEmptyName) {
  const auto command = parse_command("\\");
  ASSERT_TRUE(command);
  EXPECT_TRUE(command->name.empty());
  EXPECT_EQ(client_command(command->name), ClientCommand::Unknown);
}

TEST(CommandLine, ClientAndConsoleKnowTheirOwnCommands) {
  EXPECT_EQ(client_command("nick"), ClientCommand::Nick);
  EXPECT_EQ(client_command("join"), ClientCommand::Join);
  EXPECT_EQ(client_command("rooms"), ClientCommand::Rooms);
  EXPECT_EQ(client_command("who"), ClientCommand::Who);
  EXPECT_EQ(client_command("msg"), ClientCommand::Msg);
  EXPECT_EQ(client_command("me"), ClientCommand::Me);
  EXPECT_EQ(client_command("topic"), ClientCommand::Topic);
  EXPECT_EQ(client_command("invite"), ClientCommand::Invite);
  EXPECT_EQ(client_command("help"), ClientCommand::Help);
  EXPECT_EQ(client_command("close"), ClientCommand::Close);
  EXPECT_EQ(client_command("kick"), ClientCommand::Unknown) << "an admin command";
  EXPECT_EQ(client_command("NICK"), ClientCommand::Unknown) << "commands are lower case, as \\close always was";
  EXPECT_EQ(console_command("kick"), ConsoleCommand::Kick);
  EXPECT_EQ(console_command("stats"), ConsoleCommand::Stats);
  EXPECT_EQ(console_command("who"), ConsoleCommand::Who);
  EXPECT_EQ(console_command("rooms"), ConsoleCommand::Rooms);
  EXPECT_EQ(console_command("close"), ConsoleCommand::Close);
  EXPECT_EQ(console_command("nick"), ConsoleCommand::Unknown);
}

}  // namespace
}  // namespace chatroom
