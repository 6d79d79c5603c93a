#include "service/inherited_sockets.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

namespace chatroom {
namespace {

UniqueFd any_descriptor() { return UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); }

TEST(InheritedSockets, EachListenerHasItsNameAndUnnamedSocketsAreTheChatListeners) {
  EXPECT_EQ(listener_role_named("chat"), ListenerRole::Chat);
  EXPECT_EQ(listener_role_named("tls"), ListenerRole::Tls);
  EXPECT_EQ(listener_role_named("irc"), ListenerRole::Irc);
  EXPECT_EQ(listener_role_named("irc-tls"), ListenerRole::IrcTls);
  EXPECT_EQ(listener_role_named("http"), ListenerRole::Http);
  // No LISTEN_FDNAMES, and chatroomd.socket without FileDescriptorName=: as before names.
  EXPECT_EQ(listener_role_named("unknown"), ListenerRole::Chat);
  EXPECT_EQ(listener_role_named("chatroomd.socket"), ListenerRole::Chat);
  EXPECT_EQ(listener_role_named("chatroomd-irc.socket"), std::nullopt);
  EXPECT_EQ(listener_role_named("IRC"), std::nullopt);
  EXPECT_EQ(listener_role_named(""), std::nullopt);
  for (const ListenerRole role :
       {ListenerRole::Chat, ListenerRole::Tls, ListenerRole::Irc, ListenerRole::IrcTls, ListenerRole::Http}) {
    EXPECT_EQ(listener_role_named(socket_name_of(role)), role);
  }
}

TEST(InheritedSockets, SortedByListenerInTheOrderPassedAndHandedOverOnce) {
  std::vector<std::pair<std::string, UniqueFd>> named;
  named.emplace_back("irc", any_descriptor());
  named.emplace_back("chat", any_descriptor());
  named.emplace_back("irc", any_descriptor());
  const int first_irc = named[0].second.get();
  const int second_irc = named[2].second.get();
  InheritedListeners sorted = InheritedListeners::sort(std::move(named));
  EXPECT_FALSE(sorted.empty());
  EXPECT_EQ(sorted.count(ListenerRole::Irc), 2U);
  EXPECT_EQ(sorted.count(ListenerRole::Chat), 1U);
  EXPECT_EQ(sorted.count(ListenerRole::Http), 0U);

  const std::vector<UniqueFd> irc = sorted.take(ListenerRole::Irc);
  ASSERT_EQ(irc.size(), 2U);
  EXPECT_EQ(irc[0].get(), first_irc);
  EXPECT_EQ(irc[1].get(), second_irc);
  EXPECT_TRUE(sorted.take(ListenerRole::Irc).empty());
  EXPECT_EQ(sorted.take(ListenerRole::Chat).size(), 1U);
  EXPECT_TRUE(sorted.empty());
}

TEST(InheritedSockets, AnUnknownNameIsRefusedWithTheNamesThereAre) {
  std::vector<std::pair<std::string, UniqueFd>> named;
  named.emplace_back("chat", any_descriptor());
  named.emplace_back("gopher", any_descriptor());
  try {
    InheritedListeners::sort(std::move(named));
    FAIL() << "a socket named gopher was accepted";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("'gopher'"), std::string::npos) << message;
    EXPECT_NE(message.find("chat, tls, irc, irc-tls and http"), std::string::npos) << message;
  }
}

TEST(InheritedSockets, NothingPassedIsEmpty) {
  // This test runs without LISTEN_FDS: nothing is taken, and nothing is refused.
  EXPECT_TRUE(take_inherited_listeners().empty());
}

}  // namespace
}  // namespace chatroom
