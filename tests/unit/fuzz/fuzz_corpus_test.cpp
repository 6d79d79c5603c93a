// Replays the checked-in fuzz corpora (fuzz/corpus/protocol, websocket, irc) against the
// protocol, WebSocket and IRC properties,
// so every build checks the inputs the fuzzer found interesting, with or without clang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "irc_properties.hpp"
#include "protocol_properties.hpp"
#include "websocket_properties.hpp"

namespace chatroom {
namespace {

// Runs `check` on every file of fuzz/corpus/NAME; returns how many there were.
template <typename Check>
std::size_t replay_corpus(const std::string& name, Check check) {
  const std::filesystem::path corpus = std::filesystem::path(CHATROOM_SOURCE_DIR) / "fuzz" / "corpus" / name;
  std::size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream file(entry.path(), std::ios::binary);
    const std::string input((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    const std::optional<std::string> broken = check(input);
    EXPECT_FALSE(broken) << entry.path().filename() << ": " << broken.value_or("");
    ++replayed;
  }
  return replayed;
}

TEST(FuzzCorpus, EveryCheckedInInputSatisfiesTheProtocolProperties) {
  EXPECT_GE(replay_corpus("protocol", fuzz::check_protocol_properties), 20u) << "the corpus is missing";
}

TEST(FuzzCorpus, EveryCheckedInWebSocketInputSatisfiesTheWebSocketProperties) {
  EXPECT_GE(replay_corpus("websocket", fuzz::check_websocket_properties), 20u) << "the corpus is missing";
}

TEST(FuzzCorpus, EveryCheckedInIrcInputSatisfiesTheIrcProperties) {
  EXPECT_GE(replay_corpus("irc", fuzz::check_irc_properties), 20u) << "the corpus is missing";
}

TEST(FuzzCorpus, ThePropertiesCatchUncleanText) {
  // The judge must be able to fail: these are what the sanitiser exists to remove.
  EXPECT_TRUE(fuzz::is_clean_text("plain, t\tab, caf\xC3\xA9, \xF0\x9F\x98\x80"));
  EXPECT_FALSE(fuzz::is_clean_text("esc \x1b[2J"));
  EXPECT_FALSE(fuzz::is_clean_text(std::string("nul \0", 5)));
  EXPECT_FALSE(fuzz::is_clean_text("c1 \xC2\x9B"));
  EXPECT_FALSE(fuzz::is_clean_text("overlong \xC0\xAF"));
  EXPECT_FALSE(fuzz::is_clean_text("surrogate \xED\xA0\x80"));
  EXPECT_FALSE(fuzz::is_clean_text("cut \xE2\x82"));
}

}  // namespace
}  // namespace chatroom
