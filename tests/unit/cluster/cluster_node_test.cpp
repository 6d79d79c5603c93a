// The chat across nodes, with every node in this process: each has its own hub and its own bus
// to one in-memory broker, and fake members record what they are sent. The broker runs only
// when a test says so, so replies arrive later, as they would from Redis.
#include "cluster/cluster_node.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "cluster/in_memory_bus.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;
using Lines = std::vector<std::string>;

struct FakeMember final : Participant {
  explicit FakeMember(std::string address) : Participant(std::move(address)) {}
  Lines received;
  void deliver(const SharedBytes& message) override {
    if (!message.empty()) received.emplace_back(message.view());
  }
  Lines take() { return std::exchange(received, {}); }
};

constexpr auto kLease = 3000ms;

struct TestNode {
  TestNode(ManualClock& clock, InMemoryBroker& broker, std::string name, std::uint64_t instance,
           HubSettings settings)
      : reactor(clock),
        hub(settings),
        bus(broker, NodeOrigin{name, instance}),
        node(reactor, hub, bus, ClusterSettings{NodeOrigin{name, instance}, kLease},
             [this](std::string_view who, std::string_view reason) {
               kicked.push_back(std::string(who) + ": " + std::string(reason));
               return true;
             }) {}

  Reactor reactor;
  ChatHub hub;
  InMemoryBus bus;
  ClusterNode node;
  std::vector<std::string> kicked;
};

class ClusterNodeTest : public ::testing::Test {
 protected:
  ManualClock clock_;
  InMemoryBroker broker_{kLease};
  HubSettings settings_{.history_lines = 5, .announce_max_members = 10};
  std::vector<std::unique_ptr<TestNode>> nodes_;
  std::vector<std::unique_ptr<FakeMember>> members_;

  TestNode& add_node(std::string name, std::uint64_t instance = 1) {
    nodes_.push_back(std::make_unique<TestNode>(clock_, broker_, std::move(name), instance, settings_));
    nodes_.back()->node.start();
    broker_.deliver_all();
    return *nodes_.back();
  }
  FakeMember& connect(TestNode& node) {
    members_.push_back(std::make_unique<FakeMember>("10.0.0." + std::to_string(members_.size() + 1) + ":5000"));
    node.hub.connect(*members_.back());
    broker_.deliver_all();
    return *members_.back();
  }
  void say(TestNode& node, FakeMember& member, const std::string& line) {
    node.hub.on_line(member, line);
    broker_.deliver_all();
  }
  void take_all() {
    for (auto& member : members_) member->take();
  }
  // Moves time on every node's clock and the broker's, and runs the timers that fall due.
  void pass(std::chrono::milliseconds time) {
    clock_.advance(time);
    broker_.advance(time);
    for (auto& node : nodes_) node->reactor.run_once(0ms);
    broker_.deliver_all();
  }
};

TEST_F(ClusterNodeTest, ALineReachesEveryMemberOfItsRoomOnEveryNodeExactlyOnceInOrder) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  TestNode& c = add_node("c");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  FakeMember& carol = connect(c);
  FakeMember& dave = connect(a);
  say(a, alice, "\\nick alice");
  take_all();
  for (int i = 0; i < 5; ++i) say(a, alice, "line " + std::to_string(i));
  const Lines expected{"<alice>:\tline 0\n", "<alice>:\tline 1\n", "<alice>:\tline 2\n", "<alice>:\tline 3\n",
                       "<alice>:\tline 4\n"};
  EXPECT_EQ(bob.take(), expected);
  EXPECT_EQ(carol.take(), expected);
  EXPECT_EQ(dave.take(), expected) << "the sender's node delivers locally, and not again from the bus";
  EXPECT_TRUE(alice.take().empty());
  EXPECT_EQ(a.node.counters().lines_published, 5U) << "one publish per line, whatever the room's size";
}

TEST_F(ClusterNodeTest, RoomsNeverCrossAndANodeListensOnlyToRoomsItServes) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  FakeMember& carol = connect(b);
  say(b, carol, "\\join dev");
  EXPECT_TRUE(b.bus.subscribed_to(ClusterNode::room_channel("dev")));
  EXPECT_FALSE(a.bus.subscribed_to(ClusterNode::room_channel("dev")));
  take_all();
  say(a, alice, "in the lobby");
  say(b, carol, "in dev");
  EXPECT_EQ(bob.take(), Lines{"<10.0.0.1:5000>:\tin the lobby\n"});
  EXPECT_EQ(carol.take(), Lines{});
  EXPECT_EQ(alice.take(), Lines{});
  say(b, carol, "\\join lobby");
  EXPECT_FALSE(b.bus.subscribed_to(ClusterNode::room_channel("dev"))) << "its last member here left";
}

TEST_F(ClusterNodeTest, JoinLeaveAndNickNoticesCrossNodes) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  EXPECT_EQ(alice.take(), Lines{"* 10.0.0.2:5000 joined\n"});
  say(b, bob, "\\nick bob");
  EXPECT_EQ(alice.take(), Lines{"* 10.0.0.2:5000 is now known as bob\n"});
  b.hub.disconnect(bob, "quit");
  broker_.deliver_all();
  EXPECT_EQ(alice.take(), Lines{"* bob left (quit)\n"});
}

TEST_F(ClusterNodeTest, TheNoticeLimitCountsTheRoomAcrossTheCluster) {
  settings_.announce_max_members = 3;
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  connect(b);
  connect(b);
  EXPECT_EQ(alice.take().size(), 2U) << "rooms of 2 and 3 are told";
  connect(b);
  EXPECT_TRUE(alice.take().empty()) << "a room of 4 across the cluster is past the limit, though 1 is here";
}

TEST_F(ClusterNodeTest, WhoAndRoomsAnswerForTheWholeCluster) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  FakeMember& carol = connect(b);
  say(a, alice, "\\nick alice");
  say(b, bob, "\\nick bob");
  say(b, carol, "\\join dev");
  take_all();
  say(a, alice, "\\who");
  EXPECT_EQ(alice.take(), Lines{"* in lobby (2): alice, bob\n"});
  say(a, alice, "\\rooms");
  EXPECT_EQ(alice.take(), Lines{"* rooms: dev (1), lobby (2)\n"});
  say(a, alice, "\\join dev");
  EXPECT_EQ(alice.take().back(), "* you joined dev (2 here)\n");
}

TEST_F(ClusterNodeTest, NicknamesAreUniqueAcrossNodesAndARaceHasOneWinner) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  for (int round = 0; round < 100; ++round) {
    FakeMember& left = connect(a);
    FakeMember& right = connect(b);
    const std::string name = "racer" + std::to_string(round);
    // Both ask before either answer comes back.
    a.hub.on_line(left, "\\nick " + name);
    b.hub.on_line(right, "\\nick " + name);
    broker_.deliver_all();
    const int winners = static_cast<int>(left.nickname() == name) + static_cast<int>(right.nickname() == name);
    ASSERT_EQ(winners, 1) << "round " << round;
    FakeMember& loser = left.nickname() == name ? right : left;
    const Lines told = loser.take();
    EXPECT_NE(std::find(told.begin(), told.end(), "! the nickname " + name + " is taken\n"), told.end());
    a.hub.disconnect(left, {});
    b.hub.disconnect(right, {});
    broker_.deliver_all();
  }
}

TEST_F(ClusterNodeTest, AMemberWhoLeavesWhileItsClaimIsInFlightDoesNotKeepTheName) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& leaver = connect(a);
  a.hub.on_line(leaver, "\\nick ghost");
  a.hub.disconnect(leaver, {});
  broker_.deliver_all();
  FakeMember& other = connect(b);
  say(b, other, "\\nick ghost");
  EXPECT_EQ(other.nickname(), "ghost");
}

TEST_F(ClusterNodeTest, LinesSentWhileANicknameIsDecidedWaitAndGoOutInOrderUnderIt) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  take_all();
  // All in one read, before the other nodes have answered.
  a.hub.on_line(alice, "\\nick alice");
  a.hub.on_line(alice, "first");
  a.hub.on_line(alice, "\\nick alicia");
  a.hub.on_line(alice, "second");
  EXPECT_TRUE(alice.received.empty());
  broker_.deliver_all();
  EXPECT_EQ(bob.take(), (Lines{"* 10.0.0.1:5000 is now known as alice\n", "<alice>:\tfirst\n",
                               "* alice is now known as alicia\n", "<alicia>:\tsecond\n"}));
}

TEST_F(ClusterNodeTest, LeavingWhileANicknameIsDecidedSendsTheEarlierLinesFirst) {
  TestNode& a = add_node("a");
  FakeMember& alice = connect(a);
  FakeMember& dave = connect(a);
  take_all();
  a.hub.on_line(alice, "\\nick alice");
  a.hub.on_line(alice, "bye all");
  EXPECT_EQ(a.hub.on_line(alice, "\\close"), ChatHub::Outcome::Leave);
  EXPECT_EQ(dave.take(), Lines{"<10.0.0.1:5000>:\tbye all\n"});
  a.hub.disconnect(alice, {});
  broker_.deliver_all();
  FakeMember& other = connect(a);
  say(a, other, "\\nick alice");
  EXPECT_EQ(other.nickname(), "alice") << "the claim answered after the member left was given back";
}

TEST_F(ClusterNodeTest, AClaimRedisDoesNotAnswerIsGrantedHereAfterTheDeadline) {
  TestNode& a = add_node("a");
  FakeMember& alice = connect(a);
  FakeMember& dave = connect(a);
  take_all();
  a.hub.on_line(alice, "\\nick alice");
  a.hub.on_line(alice, "anyone?");
  clock_.advance(2100ms);  // the broker stalls: nothing delivered
  a.reactor.run_once(0ms);
  EXPECT_EQ(alice.nickname(), "alice");
  EXPECT_EQ(dave.take(), (Lines{"* 10.0.0.1:5000 is now known as alice\n", "<alice>:\tanyone?\n"}));
  broker_.deliver_all();  // the late answer changes nothing
  EXPECT_EQ(alice.nickname(), "alice");
}

TEST_F(ClusterNodeTest, EachNodesLoadReachesTheOthersWithItsHeartbeat) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  connect(a);
  say(a, alice, "one");
  say(a, alice, "two");
  pass(1000ms);  // a third of the lease: both beat
  const auto nodes = b.node.roster().nodes();
  ASSERT_EQ(nodes.size(), 1U);
  EXPECT_EQ(nodes[0].origin.node, "a");
  EXPECT_EQ(nodes[0].load.clients, 2U);
  EXPECT_EQ(nodes[0].load.messages, 2U);
  EXPECT_EQ(nodes[0].load.deliveries, 2U);
}

TEST_F(ClusterNodeTest, PrivateMessagesReachANicknameOnAnotherNode) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  say(a, alice, "\\nick alice");
  say(b, bob, "\\nick bob");
  take_all();
  say(a, alice, "\\msg bob psst");
  EXPECT_EQ(bob.take(), Lines{"*alice*:\tpsst\n"});
  EXPECT_EQ(alice.take(), Lines{"-> *bob*:\tpsst\n"});
  say(a, alice, "\\msg nobody hi");
  EXPECT_EQ(alice.take(), Lines{"! no such user: nobody\n"});
}

TEST_F(ClusterNodeTest, ANewcomerOnAnotherNodeIsShownTheRoomsHistory) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  say(a, alice, "\\join dev");
  say(a, alice, "first");
  say(a, alice, "\\me waves");
  FakeMember& bob = connect(b);
  bob.take();
  say(b, bob, "\\join dev");
  const Lines lines = bob.take();
  // The history comes from the bus, so after the confirmation.
  ASSERT_EQ(lines.size(), 3U) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], "* you joined dev (2 here)\n");
  EXPECT_NE(lines[1].find("] <10.0.0.1:5000>:\tfirst\n"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("] * 10.0.0.1:5000 waves\n"), std::string::npos) << lines[2];
}

TEST_F(ClusterNodeTest, ATopicIsSharedByTheNodesAndANodeThatOpensTheRoomLaterLearnsIt) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  TestNode& c = add_node("c");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  say(a, alice, "\\join dev");
  say(b, bob, "\\join dev");
  take_all();
  say(a, alice, "\\topic release on friday");
  EXPECT_EQ(bob.take(), Lines{"* 10.0.0.1:5000 set the topic: release on friday\n"});
  say(b, bob, "\\topic");
  EXPECT_EQ(bob.take(), Lines{"* topic of dev: release on friday (set by 10.0.0.1:5000)\n"});

  // Nobody is in dev on c: when someone opens it there, c asks the bus for the topic.
  FakeMember& carol = connect(c);
  carol.take();
  say(c, carol, "\\join dev");
  const Lines lines = carol.take();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "* 10.0.0.1:5000 set the topic: release on friday\n");
  say(c, carol, "\\topic");
  EXPECT_EQ(carol.take(), Lines{"* topic of dev: release on friday (set by 10.0.0.1:5000)\n"});

  take_all();
  // Cleared on one node, cleared everywhere; the setter's own node tells its room once.
  say(b, bob, "\\topic -");
  EXPECT_EQ(alice.take(), Lines{"* 10.0.0.2:5000 cleared the topic\n"});
  EXPECT_EQ(carol.take(), Lines{"* 10.0.0.2:5000 cleared the topic\n"});
  EXPECT_EQ(bob.take(), Lines{"* 10.0.0.2:5000 cleared the topic\n"});
}

TEST_F(ClusterNodeTest, TheConsoleReachesEveryRoomOnEveryNodeAndKicksAnywhere) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  connect(a);
  FakeMember& bob = connect(b);
  say(b, bob, "\\nick bob");
  take_all();
  a.hub.broadcast_from_server("hello all");
  broker_.deliver_all();
  EXPECT_EQ(bob.take(), Lines{"<server>:\thello all\n"});
  EXPECT_TRUE(a.node.kick_elsewhere("bob", "spam"));
  broker_.deliver_all();
  EXPECT_EQ(b.kicked, std::vector<std::string>{"bob: spam"});
  EXPECT_FALSE(a.node.kick_elsewhere("nobody", ""));
}

TEST_F(ClusterNodeTest, AnOperatorsKickReachesAnotherNodeAndAForgedOneIsIgnored) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  say(a, alice, "\\nick alice");
  say(b, bob, "\\nick bob");
  say(a, alice, "\\join dev");  // opens it: its operator
  say(b, bob, "\\join dev");
  take_all();
  ASSERT_EQ(a.hub.put_out(alice, *alice.room(), "bob", "spam"), ChatHub::KickOutcome::Done);
  broker_.deliver_all();
  EXPECT_EQ(bob.take(), (Lines{"* bob was put out of dev by alice (spam)\n", "* you are in lobby (1 here)\n"}));
  EXPECT_EQ(alice.take(), Lines{"* bob was put out of dev by alice (spam)\n"});

  // A request in the name of one who is no operator of the room, from a node that is not its.
  say(b, bob, "\\join dev");
  take_all();
  broker_.publish_as_stranger(ClusterNode::node_channel("b"),
                              encode(BusMessage{NodeOrigin{"a", 1}, OperatorRequestMessage{"dev", "mallory", "bob",
                                                                                            OperatorAction::Kick, ""}}));
  broker_.publish_as_stranger(ClusterNode::node_channel("b"),
                              encode(BusMessage{NodeOrigin{"z", 1}, OperatorRequestMessage{"dev", "alice", "bob",
                                                                                            OperatorAction::Kick, ""}}));
  broker_.deliver_all();
  EXPECT_TRUE(bob.take().empty());
  EXPECT_EQ(bob.room()->name(), "dev");
}

TEST_F(ClusterNodeTest, GarbageOnAChannelIsIgnoredAndCounted) {
  TestNode& a = add_node("a");
  FakeMember& alice = connect(a);
  take_all();
  broker_.publish_as_stranger(ClusterNode::room_channel("lobby"), "hello raw");
  broker_.publish_as_stranger(std::string(ClusterNode::kClusterChannel), "CR3 server 1:x;3:abc;");
  // Well formed, but a chat line for another room on the lobby's channel.
  broker_.publish_as_stranger(
      ClusterNode::room_channel("lobby"),
      encode(BusMessage{NodeOrigin{"z", 9}, SaidMessage{"dev", SaidLine{"mallory", ChatKind::Chat, "x", WallTime()}}}));
  broker_.deliver_all();
  EXPECT_TRUE(alice.take().empty());
  EXPECT_EQ(a.node.counters().garbage_received, 3U);
}

TEST_F(ClusterNodeTest, ASilentNodesMembersLeaveWithNoticesAndItsNamesFreeWithinTheLease) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  say(b, bob, "\\nick bob");
  take_all();
  nodes_.pop_back();  // b dies without a word
  pass(1000ms);
  pass(1000ms);
  EXPECT_TRUE(alice.take().empty());
  pass(1000ms);
  pass(1000ms);
  EXPECT_EQ(alice.take(), Lines{"* bob left (node b is gone)\n"});
  say(a, alice, "\\who");
  EXPECT_EQ(alice.take(), Lines{"* in lobby (1): 10.0.0.1:5000\n"});
  say(a, alice, "\\nick bob");
  EXPECT_EQ(alice.nickname(), "bob");
}

TEST_F(ClusterNodeTest, ANodeRestartedUnderTheSameNameDoesNotInheritItsStaleClaims) {
  TestNode& a = add_node("a");
  add_node("b", 1);
  FakeMember& bob = connect(*nodes_[1]);
  say(*nodes_[1], bob, "\\nick bob");
  nodes_.pop_back();
  TestNode& b_again = add_node("b", 2);
  FakeMember& alice = connect(a);
  say(a, alice, "\\who");
  EXPECT_EQ(alice.take().back(), "* in lobby (1): 10.0.0.2:5000\n")
      << "the old instance's members are gone as soon as the new one speaks";
  FakeMember& newcomer = connect(b_again);
  say(b_again, newcomer, "\\nick bob");
  EXPECT_EQ(newcomer.nickname(), "bob") << "the previous life's claim is stale at once";
}

TEST_F(ClusterNodeTest, DuringAnOutageLocalChatGoesOnAndCrossNodeLinesAreDroppedAndCounted) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& dave = connect(a);
  FakeMember& bob = connect(b);
  take_all();
  broker_.set_reachable(false);
  broker_.deliver_all();
  say(a, alice, "during");
  EXPECT_EQ(dave.take(), Lines{"<10.0.0.1:5000>:\tduring\n"});
  EXPECT_TRUE(bob.take().empty());
  EXPECT_GE(a.bus.counters().dropped_while_down, 1U);
  say(a, alice, "\\nick alice");
  EXPECT_EQ(alice.nickname(), "alice") << "names are granted locally while the cluster is unreachable";
  broker_.set_reachable(true);
  broker_.deliver_all();
  say(a, alice, "after");
  EXPECT_EQ(bob.take(), Lines{"<alice>:\tafter\n"});
  say(b, bob, "\\nick alice");
  EXPECT_EQ(bob.take().back(), "! the nickname alice is taken\n") << "the lease was taken when the bus came back";
}

TEST_F(ClusterNodeTest, ANameGivenAwayDuringAnOutageIsTakenBackFromTheMemberCutOff) {
  TestNode& a = add_node("a");
  TestNode& b = add_node("b");
  FakeMember& alice = connect(a);
  FakeMember& bob = connect(b);
  // a is cut off alone: its lease runs out, b's member takes the name.
  broker_.set_reachable(a.bus, false);
  broker_.deliver_all();
  say(a, alice, "\\nick sam");
  EXPECT_EQ(alice.nickname(), "sam");
  pass(4000ms);
  say(b, bob, "\\nick sam");
  EXPECT_EQ(bob.nickname(), "sam");
  broker_.set_reachable(a.bus, true);
  broker_.deliver_all();
  EXPECT_EQ(alice.nickname(), "");
  EXPECT_NE(alice.take().back().find("gave the nickname sam away"), std::string::npos);
}

}  // namespace
}  // namespace chatroom
