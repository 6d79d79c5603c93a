// The server password: compared exactly, read from a file like every password file.
#include "server/server_password.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace chatroom {
namespace {

TEST(ServerPassword, MatchesOnlyTheExactPassword) {
  const ServerPassword password("s3cret words");
  EXPECT_TRUE(password.matches("s3cret words"));
  EXPECT_FALSE(password.matches("s3cret word"));
  EXPECT_FALSE(password.matches("s3cret words "));
  EXPECT_FALSE(password.matches(""));
}

TEST(ServerPassword, TheFileIsTrimmedAndAnEmptyOrMissingFileIsRefusedByName) {
  testing::TempDir dir;
  std::ofstream(dir.file("ok")) << "\n  two words\t\r\n";
  EXPECT_TRUE(ServerPassword::from_file(dir.file("ok")).matches("two words"));
  std::ofstream(dir.file("blank")) << " \n\t\n";
  EXPECT_THROW(ServerPassword::from_file(dir.file("blank")), std::runtime_error);
  try {
    ServerPassword::from_file(dir.file("missing"));
    ADD_FAILURE() << "a missing file was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(dir.file("missing")), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace chatroom
