// A room's history: the last lines, oldest first, as said (each dialect spells them on replay).
#include "chat/message_history.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace chatroom {
namespace {

TEST(MessageHistory, KeepsTheLastMessagesOldestFirst) {
  MessageHistory history(3);
  const auto now = std::chrono::system_clock::now();
  for (char digit = '0'; digit < '5'; ++digit) {
    history.record(digit == '3' ? ChatKind::Action : ChatKind::Chat, std::string{'s', digit}, std::string{'m', digit},
                   now + std::chrono::seconds(digit - '0'));
  }
  std::vector<std::string> kept;
  history.for_each([&](const SaidLine& line) {
    kept.push_back(line.sender + " " + line.text + (line.kind == ChatKind::Action ? " (action)" : "") + " " +
                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(line.sent_at - now).count()));
  });
  EXPECT_EQ(kept, (std::vector<std::string>{"s2 m2 2", "s3 m3 (action) 3", "s4 m4 4"}));
}

TEST(MessageHistory, ZeroCapacityKeepsNothing) {
  MessageHistory history(0);
  history.record(ChatKind::Chat, "alice", "x", std::chrono::system_clock::now());
  EXPECT_EQ(history.size(), 0u);
}

}  // namespace
}  // namespace chatroom
