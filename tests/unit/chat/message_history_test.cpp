// A room's history: the last lines, oldest first, holding the broadcast's shared bytes.
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
  for (char digit = '0'; digit < '5'; ++digit) history.record(SharedBytes::copy_of(std::string{'m', digit}), now);
  std::vector<std::string> kept;
  history.for_each([&](const MessageHistory::Entry& entry) { kept.emplace_back(entry.line.view()); });
  EXPECT_EQ(kept, (std::vector<std::string>{"m2", "m3", "m4"}));
}

TEST(MessageHistory, ZeroCapacityKeepsNothing) {
  MessageHistory history(0);
  history.record(SharedBytes::copy_of("x"), std::chrono::system_clock::now());
  EXPECT_EQ(history.size(), 0u);
}

}  // namespace
}  // namespace chatroom
