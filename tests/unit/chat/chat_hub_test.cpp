// The chat's rules without sockets: fake members record what they are sent.
#include "chat/chat_hub.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chatroom {
namespace {

struct FakeMember final : Participant {
  explicit FakeMember(std::string address) : Participant(std::move(address)) {}
  std::vector<std::string> received;
  void deliver(const SharedBytes& message) override {
    if (!message.empty()) received.emplace_back(message.view());
  }
  std::vector<std::string> take() { return std::exchange(received, {}); }
};

using Lines = std::vector<std::string>;

class ChatHubTest : public ::testing::Test {
 protected:
  ChatHub hub_{HubSettings{.history_lines = 3, .announce_max_members = 10}};
  FakeMember alice_{"127.0.0.1:1001"};
  FakeMember bob_{"127.0.0.1:1002"};
  FakeMember carol_{"127.0.0.1:1003"};

  void connect_all() {
    for (FakeMember* member : {&alice_, &bob_, &carol_}) hub_.connect(*member);
    for (FakeMember* member : {&alice_, &bob_, &carol_}) member->take();
  }
  void named(FakeMember& member, const std::string& name) {
    hub_.on_line(member, "\\nick " + name);
    alice_.take();
    bob_.take();
    carol_.take();
  }
};

TEST_F(ChatHubTest, NewMembersEnterTheLobbyAndItIsTold) {
  hub_.connect(alice_);
  hub_.connect(bob_);
  EXPECT_EQ(alice_.take(), Lines{"* 127.0.0.1:1002 joined\n"});
  EXPECT_TRUE(bob_.take().empty());
  EXPECT_EQ(alice_.room()->name(), "lobby");
  EXPECT_EQ(hub_.rooms_summary(), "lobby (2)");
}

// IRC's JOIN: a member may be in several rooms. What is about the member and names no room on
// IRC (a rename, a quit) reaches whoever shares rooms with it once; a line goes to one room.
TEST_F(ChatHubTest, AMemberOfSeveralRoomsSpeaksInEachAndIsAnnouncedOnceToThoseItSharesThemWith) {
  ChatHub hub{HubSettings{.history_lines = 3, .announce_max_members = 10, .max_rooms_per_member = 3}};
  for (FakeMember* member : {&alice_, &bob_, &carol_}) hub.connect(*member);
  for (const char* room : {"den", "attic"}) {
    ASSERT_EQ(hub.join_also(alice_, room), ChatHub::JoinOutcome::Joined);
    ASSERT_EQ(hub.join_also(bob_, room), ChatHub::JoinOutcome::Joined);
  }
  EXPECT_EQ(hub.join_also(alice_, "DEN"), ChatHub::JoinOutcome::AlreadyThere);
  EXPECT_EQ(hub.join_also(alice_, "bad room"), ChatHub::JoinOutcome::Invalid);
  EXPECT_EQ(hub.join_also(alice_, "cellar"), ChatHub::JoinOutcome::TooMany) << "lobby, den and attic: three";
  ASSERT_EQ(alice_.rooms().size(), 3U);
  EXPECT_EQ(alice_.room()->name(), "attic") << "the room entered last";
  EXPECT_EQ(hub.room_of(alice_, "Den")->name(), "den");
  EXPECT_EQ(hub.room_of(carol_, "den"), nullptr);
  EXPECT_EQ(hub.rooms_summary(), "attic (2), den (2), lobby (3)");
  for (FakeMember* member : {&alice_, &bob_, &carol_}) member->take();

  hub.say(alice_, *hub.room_of(alice_, "den"), ChatKind::Chat, "in the den");
  hub.say(alice_, *hub.room_of(alice_, "lobby"), ChatKind::Chat, "in the lobby");
  EXPECT_EQ(bob_.take(), (Lines{"<127.0.0.1:1001>:\tin the den\n", "<127.0.0.1:1001>:\tin the lobby\n"}));
  EXPECT_EQ(carol_.take(), Lines{"<127.0.0.1:1001>:\tin the lobby\n"});

  hub.on_line(alice_, "\\nick alice");
  EXPECT_EQ(bob_.take(), Lines{"* 127.0.0.1:1001 is now known as alice\n"}) << "three rooms shared, told once";
  EXPECT_EQ(carol_.take(), Lines{"* 127.0.0.1:1001 is now known as alice\n"});

  EXPECT_EQ(hub.part(alice_, "den", "enough"), ChatHub::PartOutcome::Parted);
  EXPECT_EQ(bob_.take(), Lines{"* alice left (enough)\n"});
  EXPECT_TRUE(carol_.take().empty()) << "not in the den";
  EXPECT_EQ(hub.part(alice_, "den", ""), ChatHub::PartOutcome::NotThere);
  EXPECT_EQ(hub.part(alice_, "lobby", ""), ChatHub::PartOutcome::Parted);
  EXPECT_EQ(hub.part(alice_, "attic", ""), ChatHub::PartOutcome::Parted);
  EXPECT_EQ(alice_.room()->name(), "lobby") << "out of its last room, into the lobby";
  EXPECT_EQ(hub.part(alice_, "lobby", ""), ChatHub::PartOutcome::StaysInLobby);
  for (FakeMember* member : {&alice_, &bob_, &carol_}) member->take();

  hub.join_also(alice_, "attic");
  bob_.take();
  hub.disconnect(alice_, "bye");
  EXPECT_EQ(bob_.take(), Lines{"* alice left (bye)\n"}) << "lobby and attic shared, told once";
  EXPECT_EQ(carol_.take(), Lines{"* alice left (bye)\n"});
  EXPECT_EQ(hub.rooms_summary(), "attic (1), den (1), lobby (2)");
}

TEST_F(ChatHubTest, ChatReachesTheRoomButNotTheSenderUnderItsNickname) {
  connect_all();
  named(alice_, "alice");
  hub_.on_line(alice_, "hello");
  EXPECT_EQ(bob_.take(), Lines{"<alice>:\thello\n"});
  EXPECT_EQ(carol_.take(), Lines{"<alice>:\thello\n"});
  EXPECT_TRUE(alice_.take().empty());
}

// A client's lines of one read, all chat, are held and said together: each member gets them
// as one chunk (one queued reference, one write), as many lines and in the order sent,
// counted and kept one by one.
TEST_F(ChatHubTest, HeldLinesReachEachMemberAsOneChunkAndCountOneByOne) {
  connect_all();
  named(alice_, "alice");
  EXPECT_TRUE(hub_.is_plain_chat(alice_, "hello"));
  EXPECT_TRUE(hub_.is_plain_chat(alice_, "\\\\not a command"));
  EXPECT_FALSE(hub_.is_plain_chat(alice_, "\\me waves"));
  const HubStats before = hub_.stats();

  for (const char* line : {"one", " \t ", "two", "\\\\three"}) hub_.hold_chat(alice_, line);
  EXPECT_TRUE(bob_.take().empty()) << "held until said";
  hub_.say_held_chat();

  const Lines together{"<alice>:\tone\n<alice>:\ttwo\n<alice>:\t\\three\n"};
  EXPECT_EQ(bob_.take(), together) << "the blank line is dropped, as on_line drops it";
  EXPECT_EQ(carol_.take(), together);
  EXPECT_TRUE(alice_.take().empty()) << "not to the sender";
  EXPECT_EQ(hub_.stats().messages - before.messages, 3U);
  EXPECT_EQ(hub_.stats().deliveries - before.deliveries, 6U) << "three lines to two members";
  hub_.say_held_chat();
  EXPECT_TRUE(bob_.take().empty()) << "said once";

  FakeMember dave{"127.0.0.1:1004"};
  hub_.connect(dave);
  const Lines replay = dave.take();
  ASSERT_EQ(replay.size(), 3U) << "kept in the history line by line";
  EXPECT_EQ(replay[0].substr(11), "<alice>:\tone\n");
  EXPECT_EQ(replay[2].substr(11), "<alice>:\t\\three\n");
}

TEST_F(ChatHubTest, OneHeldLineIsSaidAsOnLineSaysIt) {
  connect_all();
  hub_.hold_chat(alice_, "just this");
  hub_.say_held_chat();
  EXPECT_EQ(bob_.take(), Lines{"<127.0.0.1:1001>:\tjust this\n"});
}

TEST_F(ChatHubTest, HeldLinesAreSaidBeforeAnotherMembersAndBeforeTheirSenderLeaves) {
  ChatHub hub{HubSettings{.history_lines = 0, .announce_max_members = 10}};
  for (FakeMember* member : {&alice_, &bob_, &carol_}) hub.connect(*member);
  for (FakeMember* member : {&alice_, &bob_, &carol_}) member->take();
  hub.hold_chat(alice_, "from alice");
  hub.hold_chat(bob_, "from bob");
  EXPECT_EQ(carol_.take(), Lines{"<127.0.0.1:1001>:\tfrom alice\n"}) << "alice's first, once bob's came";
  hub.disconnect(bob_, "");
  EXPECT_EQ(carol_.take(), (Lines{"<127.0.0.1:1002>:\tfrom bob\n", "* 127.0.0.1:1002 left\n"}));
  EXPECT_EQ(alice_.take(), (Lines{"<127.0.0.1:1002>:\tfrom bob\n", "* 127.0.0.1:1002 left\n"}));
}

TEST_F(ChatHubTest, NickChangeIsConfirmedAndAnnounced) {
  connect_all();
  hub_.on_line(alice_, "\\nick alice");
  EXPECT_EQ(alice_.take(), Lines{"* you are now known as alice\n"});
  EXPECT_EQ(bob_.take(), Lines{"* 127.0.0.1:1001 is now known as alice\n"});
  hub_.on_line(alice_, "\\nick Alicia");
  EXPECT_EQ(bob_.take(), Lines{"* alice is now known as Alicia\n"});
  hub_.on_line(bob_, "\\nick alice");
  EXPECT_EQ(bob_.take(), Lines{"* you are now known as alice\n"}) << "the old name was released";
}

TEST_F(ChatHubTest, TakenInvalidAndReservedNicknamesChangeNothing) {
  connect_all();
  named(alice_, "alice");
  hub_.on_line(bob_, "\\nick ALICE");
  EXPECT_EQ(bob_.take(), Lines{"! the nickname ALICE is taken\n"});
  hub_.on_line(bob_, "\\nick no spaces");
  hub_.on_line(bob_, "\\nick server");
  hub_.on_line(bob_, "\\nick");
  EXPECT_EQ(bob_.take(), (Lines{"! invalid nickname no spaces: 1 to 32 letters, digits, _ or -\n",
                                "! the nickname server is reserved\n",
                                "! usage: \\nick NAME (1 to 32 letters, digits, _ or -)\n"}));
  EXPECT_EQ(bob_.display_name(), "127.0.0.1:1002");
  EXPECT_TRUE(alice_.take().empty());
  EXPECT_TRUE(carol_.take().empty());
}

TEST_F(ChatHubTest, RoomsKeepTheirTrafficApart) {
  connect_all();
  hub_.on_line(alice_, "\\join dev");
  EXPECT_EQ(alice_.take(), Lines{"* you joined dev (1 here)\n"});
  EXPECT_EQ(bob_.take(), Lines{"* 127.0.0.1:1001 left\n"});
  EXPECT_EQ(carol_.take(), Lines{"* 127.0.0.1:1001 left\n"});
  hub_.on_line(bob_, "lobby talk");
  hub_.on_line(alice_, "dev talk");
  EXPECT_TRUE(alice_.take().empty());
  EXPECT_EQ(carol_.take(), Lines{"<127.0.0.1:1002>:\tlobby talk\n"});
  hub_.on_line(carol_, "\\rooms");
  EXPECT_EQ(carol_.take(), Lines{"* rooms: dev (1), lobby (2)\n"});
  hub_.on_line(alice_, "\\join lobby");
  EXPECT_EQ(hub_.rooms_summary(), "lobby (3)") << "an empty room is gone";
}

TEST_F(ChatHubTest, JoiningReplaysTheRoomsHistoryMarkedAndInOrder) {
  hub_.connect(alice_);
  hub_.connect(bob_);
  for (int i = 1; i <= 4; ++i) hub_.on_line(alice_, "message " + std::to_string(i));
  hub_.on_line(alice_, "\\me waves");
  hub_.connect(carol_);
  const Lines replay = carol_.take();
  ASSERT_EQ(replay.size(), 3u) << "the last 3 (--history 3)";
  EXPECT_EQ(replay[0].substr(0, 1), "[");
  EXPECT_EQ(replay[0].substr(11), "<127.0.0.1:1001>:\tmessage 3\n");
  EXPECT_EQ(replay[1].substr(11), "<127.0.0.1:1001>:\tmessage 4\n");
  EXPECT_EQ(replay[2].substr(11), "* 127.0.0.1:1001 waves\n");
}

TEST_F(ChatHubTest, PrivateMessagesReachOneMemberInAnyRoomAndAreEchoed) {
  connect_all();
  named(alice_, "alice");
  named(bob_, "bob");
  hub_.on_line(bob_, "\\join dev");
  bob_.take();
  alice_.take();
  carol_.take();
  hub_.on_line(alice_, "\\msg BOB psst, over here");
  EXPECT_EQ(bob_.take(), Lines{"*alice*:\tpsst, over here\n"});
  EXPECT_EQ(alice_.take(), Lines{"-> *bob*:\tpsst, over here\n"});
  EXPECT_TRUE(carol_.take().empty());
  hub_.on_line(alice_, "\\msg nobody hi");
  hub_.on_line(alice_, "\\msg bob");
  EXPECT_EQ(alice_.take(), (Lines{"! no such user: nobody\n", "! usage: \\msg NAME TEXT\n"}));
}

TEST_F(ChatHubTest, AnOperatorMakesOthersOperatorsAndTheRoomIsTold) {
  connect_all();
  named(alice_, "alice");
  named(bob_, "bob");
  named(carol_, "carol");
  hub_.on_line(alice_, "\\join dev");
  hub_.on_line(bob_, "\\join dev");
  for (FakeMember* member : {&alice_, &bob_, &carol_}) member->take();
  const Room& dev = *alice_.room();
  ASSERT_TRUE(dev.is_operator(alice_)) << "it opened the room";

  EXPECT_EQ(hub_.change_operator(bob_, *bob_.room(), "alice", false), ChatHub::OperatorOutcome::NotOperator);
  EXPECT_EQ(hub_.change_operator(alice_, *alice_.room(), "carol", true), ChatHub::OperatorOutcome::NotInRoom) << "carol is in the lobby";
  EXPECT_EQ(hub_.change_operator(alice_, *alice_.room(), "nobody", true), ChatHub::OperatorOutcome::NotInRoom);
  EXPECT_EQ(hub_.change_operator(alice_, *alice_.room(), "BOB", true), ChatHub::OperatorOutcome::Done);
  EXPECT_TRUE(dev.is_operator(bob_));
  EXPECT_EQ(bob_.take(), Lines{"* bob is an operator of dev now (by alice)\n"});
  EXPECT_EQ(alice_.take(), Lines{"* bob is an operator of dev now (by alice)\n"});
  EXPECT_TRUE(carol_.take().empty()) << "another room";
  EXPECT_EQ(hub_.change_operator(alice_, *alice_.room(), "bob", true), ChatHub::OperatorOutcome::Unchanged);
  EXPECT_TRUE(bob_.take().empty()) << "nothing changed, nothing told";

  EXPECT_EQ(hub_.change_operator(bob_, *bob_.room(), "alice", false), ChatHub::OperatorOutcome::Done);
  EXPECT_FALSE(dev.is_operator(alice_));
  EXPECT_EQ(alice_.take(), Lines{"* alice is no operator of dev now (by bob)\n"});
  EXPECT_EQ(hub_.change_operator(alice_, *alice_.room(), "bob", false), ChatHub::OperatorOutcome::NotOperator);
  // Leaving ends it: back in the room, bob is a member like any other.
  hub_.on_line(bob_, "\\join lobby");
  hub_.on_line(bob_, "\\join dev");
  EXPECT_FALSE(dev.is_operator(bob_));
}

TEST_F(ChatHubTest, AMemberWhoIsGoneCannotBeMessagedEvenBeforeItIsRemoved) {
  connect_all();
  named(bob_, "bob");
  bob_.mark_gone();  // its connection ended this turn
  hub_.on_line(alice_, "\\msg bob are you there");
  EXPECT_EQ(alice_.take(), Lines{"! no such user: bob\n"});
  EXPECT_TRUE(bob_.take().empty());
  hub_.disconnect(bob_, "connection lost");
  EXPECT_EQ(alice_.take(), Lines{"* bob left (connection lost)\n"});
  named(carol_, "bob");
  EXPECT_EQ(carol_.nickname(), "bob") << "the name is free again";
}

TEST_F(ChatHubTest, ActionsHelpAndUnknownCommands) {
  connect_all();
  named(alice_, "alice");
  hub_.on_line(alice_, "\\me waves");
  EXPECT_EQ(bob_.take(), Lines{"* alice waves\n"});
  hub_.on_line(alice_, "\\help");
  const Lines help = alice_.take();
  ASSERT_EQ(help.size(), 1u);
  EXPECT_EQ(help[0].rfind("* commands: \\nick NAME", 0), 0u) << help[0];
  hub_.on_line(alice_, "\\dance now");
  EXPECT_EQ(alice_.take(), Lines{"! unknown command \\dance (try \\help)\n"});
  EXPECT_TRUE(bob_.take().empty()) << "a backslash command is never broadcast";
  hub_.on_line(alice_, "\\\\o/");
  EXPECT_EQ(bob_.take(), Lines{"<alice>:\t\\o/\n"});
  EXPECT_EQ(hub_.on_line(alice_, "\\close"), ChatHub::Outcome::Leave);
}

TEST_F(ChatHubTest, WhoListsTheRoomsMembers) {
  connect_all();
  named(alice_, "alice");
  hub_.on_line(carol_, "\\who");
  const Lines who = carol_.take();
  ASSERT_EQ(who.size(), 1u);
  EXPECT_EQ(who[0].rfind("* in lobby (3): ", 0), 0u) << who[0];
  for (const char* name : {"alice", "127.0.0.1:1002", "127.0.0.1:1003"}) {
    EXPECT_NE(who[0].find(name), std::string::npos) << name;
  }
}

TEST_F(ChatHubTest, BigRoomsGetNoPresenceNotices) {
  ChatHub hub(HubSettings{.history_lines = 0, .announce_max_members = 2});
  hub.connect(alice_);
  hub.connect(bob_);
  hub.connect(carol_);  // the lobby already holds 2
  EXPECT_EQ(alice_.take(), Lines{"* 127.0.0.1:1002 joined\n"});
  EXPECT_TRUE(bob_.take().empty());
}

TEST_F(ChatHubTest, ServerBroadcastReachesEveryRoom) {
  connect_all();
  hub_.on_line(alice_, "\\join dev");
  alice_.take();
  bob_.take();
  hub_.broadcast_from_server("maintenance at noon");
  EXPECT_EQ(alice_.take(), Lines{"<server>:\tmaintenance at noon\n"});
  EXPECT_EQ(bob_.take(), Lines{"<server>:\tmaintenance at noon\n"});
}

}  // namespace
}  // namespace chatroom
