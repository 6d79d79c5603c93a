// A broadcast spells its events once per dialect, however many members speak it; several
// events in a row become one chunk.
#include "chat/broadcast.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chatroom {
namespace {

// Spells a Said event as "SENDER TEXT;" and nothing else at all; counts its calls.
class CountingDialect final : public Dialect {
 public:
  explicit CountingDialect(std::size_t slot) : Dialect(slot) {}
  SharedBytes spell(const ChatEvent& event, std::string& scratch) const override {
    ++calls;
    if (event.kind != ChatEvent::Kind::Said) return {};
    scratch.assign(event.sender).append(" ").append(event.text).append(";");
    return SharedBytes::copy_of(scratch);
  }
  mutable int calls = 0;
};

ChatEvent said(std::string_view text) { return ChatEvent::said(ChatKind::Chat, "lobby", "ann", text, {}); }

TEST(Broadcast, OneEventIsSpelledOncePerDialectAndSharedByEveryRecipient) {
  std::string scratch;
  const ChatEvent event = said("hi");
  CountingDialect first(0);
  CountingDialect second(1);
  Broadcast broadcast(event, scratch);
  EXPECT_EQ(broadcast.event_count(), 1U);
  const SharedBytes& bytes = broadcast.spelled_in(first);
  EXPECT_EQ(bytes.view(), "ann hi;");
  EXPECT_EQ(&broadcast.spelled_in(first), &bytes) << "the same reference for the next recipient";
  EXPECT_EQ(broadcast.spelled_in(second).view(), "ann hi;");
  EXPECT_EQ(first.calls, 1);
  EXPECT_EQ(second.calls, 1);
}

TEST(Broadcast, EventsInARowAreSpelledIntoOneChunkInOrderOncePerDialect) {
  std::string scratch;
  const std::vector<ChatEvent> events{said("one"), ChatEvent::joined("lobby", "bo"), said("two")};
  CountingDialect dialect(2);
  Broadcast broadcast(events, scratch);
  EXPECT_EQ(broadcast.event_count(), 3U);
  EXPECT_EQ(broadcast.spelled_in(dialect).view(), "ann one;ann two;") << "what spells as nothing adds nothing";
  EXPECT_EQ(broadcast.spelled_in(dialect).view(), "ann one;ann two;");
  EXPECT_EQ(dialect.calls, 3) << "each event once, for the first recipient only";
  EXPECT_EQ(broadcast.spelled_in(dialect).messages(), 2U) << "for write pacing: two lines in one chunk";
}

TEST(Broadcast, EventsThatAllSpellAsNothingGiveNothingToQueue) {
  std::string scratch;
  const std::vector<ChatEvent> events{ChatEvent::joined("lobby", "bo"), ChatEvent::joined("lobby", "cy")};
  CountingDialect dialect(0);
  Broadcast broadcast(events, scratch);
  EXPECT_TRUE(broadcast.spelled_in(dialect).empty());
}

}  // namespace
}  // namespace chatroom
