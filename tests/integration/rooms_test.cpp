// Nicknames, rooms, private messages, actions, history, notices and the admin console,
// against the real chatroomd.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

// History and presence notices as shipped (20 lines, rooms up to 200), or as a test needs.
std::vector<std::string> chat_defaults(const char* history = "20", const char* announce_max_room = "200") {
  return {"--history", history, "--announce-max-room", announce_max_room};
}
// Without join, leave and nick notices, for tests about other lines.
std::vector<std::string> no_notices() { return chat_defaults("20", "0"); }

// Sends "\nick NAME" and waits for the confirmation, past notices about others.
void take_nickname(TestClient& client, const std::string& name) {
  client.send("\\nick " + name + "\n");
  for (;;) {
    const auto line = client.read_line();
    ASSERT_TRUE(line) << "no confirmation of " << name;
    if (*line == "* you are now known as " + name + "\n") return;
    ASSERT_EQ(line->rfind("* ", 0), 0u) << *line;
  }
}

TEST(Rooms, JoinLeaveAndNickNoticesReachTheRoom) {
  DaemonProcess daemon(chat_defaults());
  TestClient alice(daemon.port());
  auto bob = std::make_unique<TestClient>(daemon.port());
  EXPECT_EQ(alice.read_line(), "* " + bob->name() + " joined\n");
  take_nickname(alice, "alice");
  EXPECT_EQ(bob->read_line(), "* " + alice.name() + " is now known as alice\n");
  take_nickname(*bob, "bob");
  EXPECT_EQ(alice.read_line(), "* " + bob->name() + " is now known as bob\n");
  alice.send("hello bob\n");
  EXPECT_EQ(bob->read_line(), "<alice>:\thello bob\n") << "chat carries the nickname";
  bob->send("\\close\n");
  EXPECT_EQ(alice.read_line(), "* bob left\n");
}

TEST(Rooms, NicknamesAreUniqueAndBadOnesChangeNothing) {
  DaemonProcess daemon(chat_defaults());
  TestClient alice(daemon.port());
  TestClient other(daemon.port());
  alice.read_line();  // other joined
  take_nickname(alice, "Alice");
  other.read_line();  // the nick notice
  other.send("\\nick alice\n");
  EXPECT_EQ(other.read_line(), "! the nickname alice is taken\n");
  other.send("\\nick not/valid\n");
  EXPECT_EQ(other.read_line(), "! invalid nickname not/valid: 1 to 32 letters, digits, _ or -\n");
  other.send("still me\n");
  EXPECT_EQ(alice.read_line(), chat_line(other, "still me")) << "still known by its address";
}

TEST(Rooms, TrafficOfTwoRoomsNeverCrosses) {
  DaemonProcess daemon(no_notices());
  std::vector<std::unique_ptr<TestClient>> lobby;
  std::vector<std::unique_ptr<TestClient>> dev;
  for (int i = 0; i < 3; ++i) lobby.push_back(std::make_unique<TestClient>(daemon.port()));
  for (int i = 0; i < 3; ++i) {
    dev.push_back(std::make_unique<TestClient>(daemon.port()));
    dev.back()->send("\\join dev\n");
    ASSERT_EQ(dev.back()->read_line(), "* you joined dev (" + std::to_string(i + 1) + " here)\n");
  }
  for (int round = 0; round < 20; ++round) {
    lobby[round % 3]->send("lobby " + std::to_string(round) + "\n");
    dev[round % 3]->send("dev " + std::to_string(round) + "\n");
  }
  // Each member hears the other two of its room, each sender's lines in order (the order
  // between senders is not defined: they are different connections).
  for (auto* room : {&lobby, &dev}) {
    const std::string label = room == &lobby ? "lobby " : "dev ";
    for (int i = 0; i < 3; ++i) {
      std::vector<std::string> expected;
      for (int round = 0; round < 20; ++round) {
        if (round % 3 != i) expected.push_back(chat_line(*(*room)[round % 3], label + std::to_string(round)));
      }
      std::vector<std::string> received;
      for (std::size_t k = 0; k < expected.size(); ++k) {
        const auto line = (*room)[i]->read_line();
        ASSERT_TRUE(line) << label << "member " << i << " got " << k << " lines";
        received.push_back(*line);
      }
      std::sort(expected.begin(), expected.end());
      std::sort(received.begin(), received.end());
      EXPECT_EQ(received, expected) << label << "member " << i;
    }
  }
  for (auto& client : lobby) EXPECT_TRUE(client->stays_silent(100ms)) << "a dev line reached the lobby";
  for (auto& client : dev) EXPECT_TRUE(client->stays_silent(1ms)) << "a lobby line reached dev";
  lobby[0]->send("\\rooms\n");
  EXPECT_EQ(lobby[0]->read_line(), "* rooms: dev (3), lobby (3)\n");
  dev[0]->send("\\who\n");
  const auto who = dev[0]->read_line();
  ASSERT_TRUE(who);
  EXPECT_EQ(who->rfind("* in dev (3): ", 0), 0u) << *who;
  for (auto& member : dev) EXPECT_NE(who->find(member->name()), std::string::npos) << *who;
  for (auto& member : lobby) EXPECT_EQ(who->find(member->name()), std::string::npos) << *who;
}

TEST(Rooms, PrivateMessagesCrossRoomsAndAreEchoed) {
  DaemonProcess daemon(no_notices());
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  TestClient carol(daemon.port());
  take_nickname(alice, "alice");
  take_nickname(bob, "bob");
  bob.send("\\join elsewhere\n");
  bob.read_line();
  alice.send("\\msg Bob meet me in elsewhere\n");
  EXPECT_EQ(bob.read_line(), "*alice*:\tmeet me in elsewhere\n");
  EXPECT_EQ(alice.read_line(), "-> *bob*:\tmeet me in elsewhere\n");
  EXPECT_TRUE(carol.stays_silent(100ms)) << "nobody else sees it";
  alice.send("\\msg nobody hello\n");
  EXPECT_EQ(alice.read_line(), "! no such user: nobody\n");
}

TEST(Rooms, RecipientLeavingMidPrivateMessageGetsTheSenderAnError) {
  DaemonProcess daemon(chat_defaults());
  TestClient witness(daemon.port());
  TestClient alice(daemon.port());
  auto carol = std::make_unique<TestClient>(daemon.port());
  take_nickname(alice, "alice");
  take_nickname(*carol, "carol");
  alice.send("\\msg carol are you sti");  // half of the line
  carol.reset();                           // carol vanishes before it ends
  for (;;) {
    const auto line = witness.read_line();
    ASSERT_TRUE(line);
    if (*line == "* carol left (connection lost)\n" || *line == "* carol left\n") break;
  }
  alice.send("ll there?\n");
  for (;;) {
    const auto line = alice.read_line();
    ASSERT_TRUE(line);
    if (line->rfind("* ", 0) == 0) continue;  // notices about the others
    EXPECT_EQ(*line, "! no such user: carol\n");
    break;
  }
}

TEST(Rooms, ActionsHelpAndUnknownCommandsAreNeverBroadcast) {
  DaemonProcess daemon(no_notices());
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  take_nickname(alice, "alice");
  alice.send("\\me waves\n");
  EXPECT_EQ(bob.read_line(), "* alice waves\n");
  alice.send("\\dance\n\\help\n");
  EXPECT_EQ(alice.read_line(), "! unknown command \\dance (try \\help)\n");
  const auto help = alice.read_line();
  ASSERT_TRUE(help);
  EXPECT_EQ(help->rfind("* commands: ", 0), 0u) << *help;
  EXPECT_TRUE(bob.stays_silent(100ms));
  alice.send("\\\\o/\n");
  EXPECT_EQ(bob.read_line(), "<alice>:\t\\o/\n") << "a doubled backslash is chat";
}

TEST(Rooms, JoiningClientsGetTheRoomsHistoryInOrderMarkedAsHistory) {
  DaemonProcess daemon(no_notices());
  TestClient talker(daemon.port());
  for (int i = 1; i <= 25; ++i) talker.send("message " + std::to_string(i) + "\n");
  TestClient witness(daemon.port());  // joins after all 25: its replay proves they were handled
  for (int i = 6; i <= 25; ++i) ASSERT_TRUE(witness.read_line());
  TestClient late(daemon.port());
  for (int i = 6; i <= 25; ++i) {
    const auto line = late.read_line();
    ASSERT_TRUE(line);
    ASSERT_EQ(line->size(), 11 + chat_line(talker, "message " + std::to_string(i)).size()) << *line;
    EXPECT_EQ(line->substr(0, 1), "[");
    EXPECT_EQ(line->substr(9, 2), "] ");
    EXPECT_EQ(line->substr(11), chat_line(talker, "message " + std::to_string(i))) << "the last 20, oldest first";
  }
  talker.send("live now\n");
  EXPECT_EQ(late.read_line(), chat_line(talker, "live now")) << "live lines are unmarked";
}

TEST(Rooms, AdminConsoleListsKicksAndCounts) {
  DaemonProcess daemon(chat_defaults());
  TestClient alice(daemon.port());
  auto bob = std::make_unique<TestClient>(daemon.port());
  take_nickname(alice, "alice");
  take_nickname(*bob, "bob");
  bob->send("\\join side\n");
  EXPECT_EQ(bob->read_line(), "* you joined side (1 here)\n");
  for (;;) {  // bob's arrival, his nick and his leaving, as alice saw them
    const auto line = alice.read_line();
    ASSERT_TRUE(line);
    if (*line == "* bob left\n") break;
  }

  daemon.write_console("\\who\n\\rooms\n");
  EXPECT_TRUE(daemon.wait_for_log("2 clients\n", 3s)) << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("rooms: lobby (1), side (1)\n", 3s)) << daemon.log();
  const std::string log = daemon.log();
  const std::size_t bob_row = log.find("  bob ");
  ASSERT_NE(bob_row, std::string::npos) << log;
  const std::string row = log.substr(bob_row, log.find('\n', bob_row) - bob_row);
  EXPECT_NE(row.find("room side"), std::string::npos) << row;
  EXPECT_NE(row.find(bob->name()), std::string::npos) << row;
  EXPECT_NE(row.find("queued 0 bytes"), std::string::npos) << row;

  daemon.write_console("\\kick bob being rude\n");
  EXPECT_EQ(bob->read_line(), "! kicked: being rude (by the server)\n");
  EXPECT_TRUE(bob->read_until_eof(3s));
  EXPECT_TRUE(daemon.wait_for_log("kicked bob\n", 3s)) << daemon.log();
  daemon.write_console("\\kick nobody\n\\stats\n\\bogus\n");
  EXPECT_TRUE(daemon.wait_for_log("no such client: nobody\n", 3s)) << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("clients 1 (peak 2, 2 served), rooms 1, messages in ", 3s)) << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("kicked 1, uptime ", 3s)) << daemon.log();
  EXPECT_TRUE(daemon.wait_for_log("unknown console command \\bogus (try \\help)\n", 3s)) << daemon.log();
  daemon.write_console("to every room\n");
  EXPECT_EQ(alice.read_line(), "<server>:\tto every room\n");
}

TEST(Rooms, KickedAndCutOffClientsLeaveWithTheReason) {
  std::vector<std::string> args = chat_defaults();
  args.insert(args.end(), {"--line-timeout", "0.5"});
  DaemonProcess daemon(args);
  TestClient alice(daemon.port());
  TestClient slow(daemon.port());
  alice.read_line();  // slow joined
  slow.send("no newline ever");
  EXPECT_EQ(alice.read_line(3s), "* " + slow.name() + " left (cut off: line timeout)\n");
}

}  // namespace
}  // namespace chatroom::testing
