// Several real chatroomd nodes sharing rooms through a real redis-server on a free loopback
// port: delivery, names, \msg, \kick, history and \who across nodes, and every fault the
// cluster must survive (Redis unreachable at start, restarted, stalled; a node SIGKILLed;
// garbage on a channel).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/redis_process.hpp"
#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "support/test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Every test here needs a real redis-server; without one they are skipped, saying why.
class Cluster : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!redis_available()) GTEST_SKIP() << kRedisMissing;
  }
};

// A node of the cluster: leases of 3 s, so a dead node is forgotten within seconds, and no
// flood control, which these tests are not about.
std::unique_ptr<DaemonProcess> start_node(const std::string& redis_url, const std::string& name,
                                          std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--cluster", redis_url, "--node-name", name, "--cluster-lease", "3",
                                "--rate-limit", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<DaemonProcess>(args);
}

void wait_until_joined(const DaemonProcess& node) {
  ASSERT_TRUE(node.wait_for_log("joined the cluster", 10s)) << node.log();
}

// Nodes n1, n2, ... with the same options, each in the cluster by the time this returns.
std::vector<std::unique_ptr<DaemonProcess>> start_joined_nodes(const RedisProcess& redis, int count,
                                                               const std::vector<std::string>& extra = {}) {
  std::vector<std::unique_ptr<DaemonProcess>> nodes;
  for (int i = 1; i <= count; ++i) {
    std::string name = std::to_string(i);
    name.insert(name.begin(), 'n');
    nodes.push_back(start_node(redis.url(), name, extra));
  }
  for (auto& node : nodes) wait_until_joined(*node);
  return nodes;
}

// Reads lines until one equals `wanted`, skipping others; false on timeout.
bool read_until_line(TestClient& client, const std::string& wanted, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const auto line = client.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    if (!line) return false;
    if (*line == wanted) return true;
  }
  return false;
}

// Sends "\who" until the answer says the room has `members` (and names `name`, if given), i.e.
// every node has heard of every member; returns the last answer.
std::string wait_for_room_size(TestClient& client, const std::string& room, std::size_t members,
                               const std::string& name = {}) {
  const std::string prefix = "* in " + room + " (" + std::to_string(members) + "):";
  std::string answer;
  for (int attempt = 0; attempt < 100; ++attempt) {
    client.send("\\who\n");
    for (;;) {
      const auto line = client.read_line(2s);
      if (!line) return answer;
      if (line->rfind("* in ", 0) == 0) {
        answer = *line;
        break;
      }
    }
    if (answer.rfind(prefix, 0) == 0 && answer.find(name) != std::string::npos) return answer;
    std::this_thread::sleep_for(50ms);
  }
  return answer;
}

std::string console_reply(DaemonProcess& node, const std::string& command, const std::string& expect) {
  const std::size_t before = node.log().size();
  node.write_console(command + "\n");
  const auto deadline = Clock::now() + 5s;
  while (Clock::now() < deadline) {
    const std::string added = node.log().substr(before);
    if (added.find(expect) != std::string::npos) return added;
    std::this_thread::sleep_for(20ms);
  }
  return node.log().substr(before);
}

TEST_F(Cluster, ThreeNodesThirtyClientsEveryLineReachesEveryMemberOfItsRoomOnceInSenderOrder) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 3);

  constexpr int kClients = 30;
  constexpr int kLines = 10;
  std::vector<std::unique_ptr<TestClient>> clients;
  std::vector<std::string> room_of;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<TestClient>(nodes[static_cast<std::size_t>(i) % 3]->port()));
    room_of.push_back(i % 2 == 0 ? "red" : "blue");
    clients.back()->send("\\nick c" + std::to_string(i) + "\n\\join " + room_of.back() + "\n");
  }
  // Every node knows every member (and so has subscribed its rooms' channels) before anyone speaks.
  ASSERT_EQ(wait_for_room_size(*clients[0], "red", 15).substr(0, 13), "* in red (15)");
  ASSERT_EQ(wait_for_room_size(*clients[1], "blue", 15).substr(0, 14), "* in blue (15)");
  std::this_thread::sleep_for(200ms);
  for (auto& client : clients) {
    while (client->read_line(50ms)) {
    }
  }

  for (int line = 0; line < kLines; ++line) {
    for (std::size_t i = 0; i < kClients; ++i) {
      std::string text = "c";
      text.append(std::to_string(i)).append(" line ").append(std::to_string(line)).append("\n");
      clients[i]->send(text);
    }
  }
  for (int i = 0; i < kClients; ++i) {
    // Expected: every line of every other member of the same room, each sender's in order.
    std::map<std::string, int> next_from;
    int received = 0;
    const int expected = (kClients / 2 - 1) * kLines;
    while (received < expected) {
      const auto line = clients[static_cast<std::size_t>(i)]->read_line(5s);
      ASSERT_TRUE(line) << "client " << i << " got " << received << " of " << expected;
      if (line->rfind("* ", 0) == 0) continue;  // a late reply to its own \nick or \join
      const std::size_t tab = line->find(">:\t");
      ASSERT_NE(tab, std::string::npos) << *line;
      const std::string sender = line->substr(1, tab - 1);
      const int sender_index = std::stoi(sender.substr(1));
      ASSERT_EQ(room_of[static_cast<std::size_t>(sender_index)], room_of[static_cast<std::size_t>(i)])
          << "rooms crossed: " << *line;
      ASSERT_NE(sender_index, i) << "a line came back to its sender";
      ASSERT_EQ(*line, "<" + sender + ">:\t" + sender + " line " + std::to_string(next_from[sender]++) + "\n")
          << "out of order or duplicated";
      ++received;
    }
    EXPECT_TRUE(clients[static_cast<std::size_t>(i)]->stays_silent(100ms)) << "a line arrived twice";
  }
  // One publish per line: Redis counts the commands.
  const std::string publishes = redis.info_field("commandstats", "cmdstat_publish");
  EXPECT_FALSE(publishes.empty());
}

// Reads until a line containing `text`; "" on timeout.
std::string read_until_containing(TestClient& client, const std::string& text, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const auto line = client.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    if (!line) return "";
    if (line->find(text) != std::string::npos) return *line;
  }
  return "";
}

// An IRC client registered as `nick` (once the cluster agrees to the name) and in `channels`.
std::unique_ptr<TestClient> irc_member(std::uint16_t port, const std::string& nick,
                                       const std::vector<std::string>& channels) {
  auto client = std::make_unique<TestClient>(port, "127.0.0.1", /*read_welcome=*/false);
  client->send("NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + "\r\n");
  EXPECT_NE(read_until_containing(*client, " 001 " + nick + " "), "");
  for (const std::string& channel : channels) {
    client->send("JOIN " + channel + "\r\n");
    EXPECT_NE(read_until_containing(*client, " 366 " + nick + " " + channel + " "), "");
  }
  return client;
}

// Nodes n1 and n2, each with an IRC listener on a free port, joined by the time it is built.
class IrcNodes {
 public:
  explicit IrcNodes(const RedisProcess& redis, const std::vector<std::string>& extra = {}) {
    for (const std::string name : {"n1", "n2"}) {
      std::vector<std::string> args{"--irc-port", "0", "--irc-port-file", dir_.file("irc-" + name)};
      args.insert(args.end(), extra.begin(), extra.end());
      nodes_.push_back(start_node(redis.url(), name, args));
    }
    for (const auto& node : nodes_) wait_until_joined(*node);
    for (const std::string name : {"n1", "n2"}) {
      int port = 0;
      std::ifstream(dir_.file("irc-" + name)) >> port;
      irc_ports_.push_back(static_cast<std::uint16_t>(port));
    }
  }
  [[nodiscard]] std::uint16_t irc_port(std::size_t index) const { return irc_ports_.at(index); }
  [[nodiscard]] DaemonProcess& node(std::size_t index) const { return *nodes_.at(index); }

 private:
  TempDir dir_;
  std::vector<std::unique_ptr<DaemonProcess>> nodes_;
  std::vector<std::uint16_t> irc_ports_;
};

TEST_F(Cluster, AnIrcUserOnOneNodeAndALineUserOnTheOtherChatSeeEachOtherInNamesAndShareTopics) {
  RedisProcess redis;
  TempDir dir;
  auto irc_node = start_node(redis.url(), "n1", {"--irc-port", "0", "--irc-port-file", dir.file("irc-port")});
  auto line_node = start_node(redis.url(), "n2");
  wait_until_joined(*irc_node);
  wait_until_joined(*line_node);
  int irc_port = 0;
  std::ifstream(dir.file("irc-port")) >> irc_port;

  TestClient lina(line_node->port());
  lina.send("\\nick lina\n\\join den\n");
  ASSERT_TRUE(read_until_line(lina, "* you joined den (1 here)\n"));
  TestClient ira(static_cast<std::uint16_t>(irc_port), "127.0.0.1", /*read_welcome=*/false);
  ira.send("NICK ira\r\nUSER ira 0 * :ira\r\n");
  ASSERT_NE(read_until_containing(ira, " 001 ira "), "");
  TestClient probe(irc_node->port());  // on the IRC user's node: waits until it knows lina
  probe.send("\\join den\n");
  ASSERT_EQ(wait_for_room_size(probe, "den", 2, "lina").substr(0, 11), "* in den (2");
  ira.send("JOIN #den\r\n");
  const std::string names = read_until_containing(ira, " 353 ira = #den :");
  EXPECT_NE(names.find("lina"), std::string::npos) << "a member of the other node is listed: " << names;
  EXPECT_NE(names.find(" ira"), std::string::npos) << names;
  EXPECT_NE(read_until_containing(ira, " 366 ira #den "), "");

  ira.send("PRIVMSG #den :h\xc3\xa9llo across nodes\r\n");
  EXPECT_TRUE(read_until_line(lina, "<ira>:\th\xc3\xa9llo across nodes\n"));
  lina.send("and back \xe2\x9c\x93\n");
  EXPECT_EQ(read_until_containing(ira, "PRIVMSG #den"), ":lina!lina@chatroomd PRIVMSG #den :and back \xe2\x9c\x93\r\n");
  ira.send("PRIVMSG lina :just you\r\n");
  EXPECT_TRUE(read_until_line(lina, "*ira*:\tjust you\n"));
  // ISON, USERHOST, WHOIS and WHO know the members of the other node too (lina opened den: its operator).
  ira.send("ISON LINA nobody\r\nUSERHOST Lina\r\nWHOIS lina\r\nWHO Lina\r\n");
  EXPECT_EQ(read_until_containing(ira, " 303 "), ":chatroomd 303 ira :lina\r\n");
  EXPECT_EQ(read_until_containing(ira, " 302 "), ":chatroomd 302 ira :lina=+lina@chatroomd\r\n");
  EXPECT_EQ(read_until_containing(ira, " 311 "), ":chatroomd 311 ira lina lina chatroomd * :lina\r\n");
  EXPECT_EQ(read_until_containing(ira, " 319 "), ":chatroomd 319 ira lina :@#den\r\n");
  EXPECT_EQ(read_until_containing(ira, " 318 "), ":chatroomd 318 ira lina :End of /WHOIS list\r\n");
  EXPECT_EQ(read_until_containing(ira, " 352 "), ":chatroomd 352 ira #den lina chatroomd chatroomd lina H@ :0 lina\r\n");

  // Topics cross the nodes, both ways.
  ira.send("TOPIC #den :release on friday\r\n");
  EXPECT_EQ(read_until_containing(ira, " TOPIC #den"), ":ira!ira@chatroomd TOPIC #den :release on friday\r\n");
  EXPECT_TRUE(read_until_line(lina, "* ira set the topic: release on friday\n"));
  lina.send("\\topic ship it\n");
  EXPECT_EQ(read_until_containing(ira, " TOPIC #den"), ":lina!lina@chatroomd TOPIC #den :ship it\r\n");
  // A room nobody on the IRC user's node is in: that node learns its topic when ira opens it.
  lina.send("\\join ops\n\\topic on call: lina\n");
  ASSERT_TRUE(read_until_line(lina, "* lina set the topic: on call: lina\n"));
  ira.send("JOIN #ops\r\n");
  EXPECT_EQ(read_until_containing(ira, " TOPIC #ops"), ":lina!lina@chatroomd TOPIC #ops :on call: lina\r\n");
  ira.send("TOPIC #ops\r\n");
  EXPECT_EQ(read_until_containing(ira, " 332 "), ":chatroomd 332 ira #ops :on call: lina\r\n");

  // An invitation reaches the other node as a private line.
  ira.send("JOIN #den\r\nINVITE lina #den\r\n");
  EXPECT_EQ(read_until_containing(ira, " 341 "), ":chatroomd 341 ira lina #den\r\n");
  EXPECT_TRUE(read_until_line(lina, "*ira*:\tinvites you to den: \\join den\n"));

  // The nickname registry spans the nodes: lina's name is taken on the IRC user's node too.
  TestClient copycat(static_cast<std::uint16_t>(irc_port), "127.0.0.1", /*read_welcome=*/false);
  copycat.send("NICK lina\r\nUSER c 0 * :c\r\n");
  EXPECT_EQ(read_until_containing(copycat, " 433 "), ":chatroomd 433 * lina :Nickname is already in use\r\n");
}

TEST_F(Cluster, AnAwayStateCrossesTheNodesToWhoisWhoUserhostAndAwayNotify) {
  RedisProcess redis;
  const IrcNodes nodes(redis, {"--announce-max-room", "200"});
  const std::uint16_t port_1 = nodes.irc_port(0);
  const std::uint16_t port_2 = nodes.irc_port(1);

  TestClient ira(port_1, "127.0.0.1", /*read_welcome=*/false);
  // JOIN once welcomed: the nickname is claimed through Redis first.
  ira.send("CAP LS 302\r\nNICK ira\r\nUSER ira 0 * :ira\r\nCAP REQ :away-notify\r\nCAP END\r\n");
  ASSERT_NE(read_until_containing(ira, " 001 ira "), "");
  ira.send("JOIN #den\r\n");
  ASSERT_NE(read_until_containing(ira, " 366 ira #den "), "");
  TestClient bea(port_2, "127.0.0.1", /*read_welcome=*/false);
  bea.send("NICK bea\r\nUSER bea 0 * :bea\r\n");
  ASSERT_NE(read_until_containing(bea, " 001 bea "), "");
  bea.send("JOIN #den\r\n");
  ASSERT_NE(read_until_containing(bea, " 366 bea #den "), "");
  ASSERT_EQ(read_until_containing(ira, " JOIN #den"), ":bea!bea@chatroomd JOIN #den\r\n");

  bea.send("AWAY :at lunch \xc3\xa9\r\n");
  EXPECT_EQ(read_until_containing(ira, " AWAY"), ":bea!bea@chatroomd AWAY :at lunch \xc3\xa9\r\n");
  ira.send("WHOIS bea\r\nWHO bea\r\nWHO #den\r\nUSERHOST bea\r\nPRIVMSG bea :back soon?\r\n");
  EXPECT_EQ(read_until_containing(ira, " 301 "), ":chatroomd 301 ira bea :at lunch \xc3\xa9\r\n") << "WHOIS";
  EXPECT_EQ(read_until_containing(ira, " 352 "), ":chatroomd 352 ira #den bea chatroomd chatroomd bea G :0 bea\r\n");
  EXPECT_EQ(read_until_containing(ira, " 352 ira #den bea "), ":chatroomd 352 ira #den bea chatroomd chatroomd bea G :0 bea\r\n")
      << "WHO #den";
  EXPECT_EQ(read_until_containing(ira, " 302 "), ":chatroomd 302 ira :bea=-bea@chatroomd\r\n");
  EXPECT_EQ(read_until_containing(ira, " 301 "), ":chatroomd 301 ira bea :at lunch \xc3\xa9\r\n") << "PRIVMSG";
  EXPECT_EQ(read_until_containing(bea, "PRIVMSG"), ":ira!ira@chatroomd PRIVMSG bea :back soon?\r\n");

  // An away member that comes into the room is told as away after its JOIN.
  bea.send("PART #den\r\nJOIN #den\r\n");
  EXPECT_EQ(read_until_containing(ira, " JOIN #den"), ":bea!bea@chatroomd JOIN #den\r\n");
  EXPECT_EQ(read_until_containing(ira, " AWAY"), ":bea!bea@chatroomd AWAY :at lunch \xc3\xa9\r\n");
  bea.send("AWAY\r\n");
  EXPECT_EQ(read_until_containing(ira, " AWAY"), ":bea!bea@chatroomd AWAY\r\n");
  ira.send("USERHOST bea\r\n");
  EXPECT_EQ(read_until_containing(ira, " 302 "), ":chatroomd 302 ira :bea=+bea@chatroomd\r\n");
}

TEST_F(Cluster, OperatorsAreKnownOnEveryNodeInNamesWhoAndModeChanges) {
  RedisProcess redis;
  const IrcNodes nodes(redis);
  const std::uint16_t port_1 = nodes.irc_port(0);
  const std::uint16_t port_2 = nodes.irc_port(1);
  auto ira = irc_member(port_1, "ira", {"#den"});  // opens #den: its operator, on every node
  auto ivy = irc_member(port_1, "ivy", {"#den"});
  TestClient probe(nodes.node(1).port());  // on the other node: waits until it knows both
  probe.send("\\join den\n");
  ASSERT_EQ(wait_for_room_size(probe, "den", 3, "ivy").substr(0, 11), "* in den (3");
  auto bea = irc_member(port_2, "bea", {"#den"});

  bea->send("NAMES #den\r\nWHO ira\r\n");
  const std::string names = read_until_containing(*bea, " 353 bea = #den :");
  EXPECT_NE(names.find("@ira"), std::string::npos) << names;
  EXPECT_EQ(names.find("@ivy"), std::string::npos) << names;
  EXPECT_EQ(read_until_containing(*bea, " 352 "), ":chatroomd 352 bea #den ira chatroomd chatroomd ira H@ :0 ira\r\n");

  ira->send("MODE #den +o ivy\r\n");
  EXPECT_EQ(read_until_containing(*bea, " MODE #den"), ":ira!ira@chatroomd MODE #den +o ivy\r\n");
  EXPECT_TRUE(read_until_line(probe, "* ivy is an operator of den now (by ira)\n"));
  bea->send("WHO #den\r\n");
  EXPECT_EQ(read_until_containing(*bea, " 352 bea #den ivy "), ":chatroomd 352 bea #den ivy chatroomd chatroomd ivy H@ :0 ivy\r\n");
  ivy->send("MODE #den -o ira\r\n");
  EXPECT_EQ(read_until_containing(*bea, " MODE #den"), ":ivy!ivy@chatroomd MODE #den -o ira\r\n");
  bea->send("NAMES #den\r\n");
  const std::string after = read_until_containing(*bea, " 353 bea = #den :");
  EXPECT_EQ(after.find("@ira"), std::string::npos) << after;
  EXPECT_NE(after.find("@ivy"), std::string::npos) << after;

  // A kick is told as a kick on every node, not as a quit.
  ivy->send("KICK #den ira :enough\r\n");
  EXPECT_EQ(read_until_containing(*bea, " KICK "), ":ivy!ivy@chatroomd KICK #den ira :enough\r\n");
  EXPECT_TRUE(read_until_line(probe, "* ira was put out of den by ivy (enough)\n"));
  EXPECT_EQ(read_until_containing(*ira, " KICK "), ":ivy!ivy@chatroomd KICK #den ira :enough\r\n");

  // An operator's +o and KICK reach a member of another node, whose node checks that they come
  // from an operator of the room.
  ivy->send("MODE #den +o bea\r\n");
  EXPECT_EQ(read_until_containing(*bea, " MODE #den"), ":ivy!ivy@chatroomd MODE #den +o bea\r\n");
  EXPECT_EQ(read_until_containing(*ivy, " MODE #den +o bea"), ":ivy!ivy@chatroomd MODE #den +o bea\r\n");
  bea->send("KICK #den ivy :turnabout\r\n");
  EXPECT_EQ(read_until_containing(*ivy, " KICK #den ivy"), ":bea!bea@chatroomd KICK #den ivy :turnabout\r\n");
  EXPECT_TRUE(read_until_line(probe, "* ivy was put out of den by bea (turnabout)\n"));
  EXPECT_EQ(read_until_containing(*bea, " KICK "), ":bea!bea@chatroomd KICK #den ivy :turnabout\r\n");
  // One who is no operator asks in vain: 482 at home, and nothing happens elsewhere.
  ira->send("JOIN #den\r\nKICK #den bea\r\n");
  EXPECT_EQ(read_until_containing(*ira, " 482 "), ":chatroomd 482 ira #den :You're not channel operator\r\n");
}

// The lines read up to and including the first containing `text`; none if it never comes.
std::vector<std::string> lines_until_containing(TestClient& client, const std::string& text,
                                                std::chrono::milliseconds timeout = 5s) {
  std::vector<std::string> lines;
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const auto line = client.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    if (!line) break;
    lines.push_back(*line);
    if (line->find(text) != std::string::npos) return lines;
  }
  return {};
}

std::size_t count_containing(const std::vector<std::string>& lines, const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; }));
}

TEST_F(Cluster, AMemberOfSeveralChannelsIsSeenInEachOnEveryNodeAndItsNickAndQuitAreToldOnce) {
  RedisProcess redis;
  const IrcNodes nodes(redis, {"--announce-max-room", "200"});
  auto ira = irc_member(nodes.irc_port(0), "ira", {"#den", "#attic"});  // the first anywhere: opens all three
  TestClient probe(nodes.node(1).port());  // on the other node: waits until it knows ira's seats
  probe.send("\\join attic\n");
  ASSERT_EQ(wait_for_room_size(probe, "attic", 2, "ira").substr(0, 13), "* in attic (2");
  auto bea = irc_member(nodes.irc_port(1), "bea", {"#den", "#attic"});
  EXPECT_NE(read_until_containing(*ira, ":bea!bea@chatroomd JOIN #attic"), "");

  bea->send("WHOIS ira\r\nNAMES #den\r\n");
  EXPECT_EQ(read_until_containing(*bea, " 319 "), ":chatroomd 319 bea ira :@#lobby @#den @#attic\r\n");
  const std::string names = read_until_containing(*bea, " 353 bea = #den :");
  EXPECT_NE(names.find("@ira"), std::string::npos) << names;

  // Lines go to the channel they name, on both nodes.
  ira->send("PRIVMSG #attic :up here\r\nPRIVMSG #den :down here\r\n");
  EXPECT_EQ(read_until_containing(*bea, " PRIVMSG #attic"), ":ira!ira@chatroomd PRIVMSG #attic :up here\r\n");
  EXPECT_EQ(read_until_containing(*bea, " PRIVMSG #den"), ":ira!ira@chatroomd PRIVMSG #den :down here\r\n");
  EXPECT_TRUE(read_until_line(probe, "<ira>:\tup here\n"));

  // A part leaves one channel, with its reason, and the others stand.
  ira->send("PART #den :enough den\r\n");
  EXPECT_EQ(read_until_containing(*bea, " PART "), ":ira!ira@chatroomd PART #den :enough den\r\n");
  bea->send("WHOIS ira\r\n");
  EXPECT_EQ(read_until_containing(*bea, " 319 "), ":chatroomd 319 bea ira :@#lobby @#attic\r\n");

  // Shared with bea twice (#lobby and #attic), ira's new name and its quit reach bea once each.
  ira->send("NICK iris\r\n");
  const std::vector<std::string> renamed = lines_until_containing(*bea, " NICK ");
  ASSERT_FALSE(renamed.empty());
  EXPECT_EQ(renamed.back(), ":ira!ira@chatroomd NICK :iris\r\n");
  EXPECT_TRUE(read_until_line(probe, "* ira is now known as iris\n"));
  ira->send("QUIT :bye all\r\n");
  std::vector<std::string> seen = lines_until_containing(*bea, " QUIT ");
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), ":iris!iris@chatroomd QUIT :bye all\r\n");
  bea->send("PING :sync\r\n");
  const std::vector<std::string> rest = lines_until_containing(*bea, " PONG ");
  seen.insert(seen.end(), rest.begin(), rest.end());
  EXPECT_EQ(count_containing(seen, " QUIT "), 1U);
  EXPECT_EQ(count_containing(seen, " NICK "), 0U);
  EXPECT_TRUE(read_until_line(probe, "* iris left (bye all)\n"));
  bea->send("WHOIS iris\r\n");
  EXPECT_EQ(read_until_containing(*bea, " 401 "), ":chatroomd 401 bea iris :No such nick/channel\r\n");
}

TEST_F(Cluster, ANicknameRaceHasExactlyOneWinnerEveryTime) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 2);
  DaemonProcess* n1 = nodes[0].get();
  DaemonProcess* n2 = nodes[1].get();
  TestClient left(n1->port());
  TestClient right(n2->port());
  for (int round = 0; round < 100; ++round) {
    const std::string name = "racer" + std::to_string(round);
    left.send("\\nick " + name + "\n");
    right.send("\\nick " + name + "\n");
    int winners = 0;
    int losers = 0;
    for (TestClient* client : {&left, &right}) {
      for (;;) {
        const auto line = client->read_line(5s);
        ASSERT_TRUE(line) << "no answer in round " << round;
        if (*line == "* you are now known as " + name + "\n") {
          ++winners;
          break;
        }
        if (*line == "! the nickname " + name + " is taken\n") {
          ++losers;
          break;
        }
      }
    }
    ASSERT_EQ(winners, 1) << "round " << round;
    ASSERT_EQ(losers, 1) << "round " << round;
  }
}

TEST_F(Cluster, MsgKickHistoryWhoAndRoomsWorkAcrossNodes) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 2, {"--history", "5"});
  DaemonProcess* n1 = nodes[0].get();
  DaemonProcess* n2 = nodes[1].get();
  TestClient alice(n1->port());
  TestClient bob(n2->port());
  alice.send("\\nick alice\n\\join dev\n");
  ASSERT_TRUE(read_until_line(alice, "* you joined dev (1 here)\n"));
  alice.send("said on n1\n");
  bob.send("\\nick bob\n");
  ASSERT_TRUE(read_until_line(bob, "* you are now known as bob\n"));
  ASSERT_NE(wait_for_room_size(alice, "dev", 1), "");

  // History kept in Redis: bob's node never had anyone in dev.
  bob.send("\\join dev\n");
  ASSERT_TRUE(read_until_line(bob, "* you joined dev (2 here)\n"));
  const auto replayed = bob.read_line();
  ASSERT_TRUE(replayed);
  EXPECT_NE(replayed->find("] <alice>:\tsaid on n1\n"), std::string::npos) << *replayed;

  EXPECT_NE(wait_for_room_size(alice, "dev", 2, "bob").find("bob"), std::string::npos);
  bob.send("\\rooms\n");
  EXPECT_TRUE(read_until_line(bob, "* rooms: dev (2)\n"));

  bob.send("\\msg alice across\n");
  EXPECT_TRUE(read_until_line(alice, "*bob*:\tacross\n"));
  EXPECT_TRUE(read_until_line(bob, "-> *alice*:\tacross\n"));

  // The console of one node sees the whole cluster and kicks anywhere.
  const std::string who = console_reply(*n1, "\\who", "node n2");
  EXPECT_NE(who.find("2 clients (1 on this node, 1 on others)"), std::string::npos) << who;
  const std::string live = console_reply(*n1, "\\nodes", "last heard");
  EXPECT_NE(live.find("2 live nodes"), std::string::npos) << live;
  EXPECT_NE(live.find("n2"), std::string::npos) << live;
  const std::string kicked = console_reply(*n1, "\\kick bob spamming", "kick bob");
  EXPECT_NE(kicked.find("asked its node to kick bob"), std::string::npos) << kicked;
  EXPECT_TRUE(read_until_line(bob, "! kicked: spamming (by the server)\n"));
  const std::string stats = console_reply(*n1, "\\stats", "cluster:");
  EXPECT_NE(stats.find("cluster: 2 nodes"), std::string::npos) << stats;

  // Plain console text reaches every room on every node.
  TestClient carol(n2->port());
  n1->write_console("maintenance soon\n");
  EXPECT_TRUE(read_until_line(carol, "<server>:\tmaintenance soon\n"));
}

TEST_F(Cluster, TextCrossesNodesByteForByteAndHostileBytesAreSanitisedAsOnOneNode) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 2);
  TestClient alice(nodes[0]->port());
  TestClient dave(nodes[0]->port());
  TestClient bob(nodes[1]->port());
  ASSERT_NE(wait_for_room_size(bob, "lobby", 3), "");
  for (const std::string& text : {std::string("h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x98\x80"),
                                 std::string("bell\a esc\x1b[31mred\x1b]0;title\a nul\x01 bad\xff\xfe utf8"),
                                 std::string(2000, 'x')}) {
    alice.send(text + "\n");
    const auto here = dave.read_line();
    const auto there = bob.read_line();
    ASSERT_TRUE(here && there);
    EXPECT_EQ(*there, *here) << "a member on another node sees exactly what one on the sender's node sees";
  }
}

TEST_F(Cluster, GarbageOnAChannelIsIgnoredAndCounted) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 1);
  DaemonProcess* n1 = nodes[0].get();
  TestClient alice(n1->port());
  TestClient dave(n1->port());
  ASSERT_TRUE(n1->wait_for_log("joined", 5s));
  std::this_thread::sleep_for(100ms);
  redis.cli({"PUBLISH", "chatroom:room:lobby", "raw text for everyone"});
  redis.cli({"PUBLISH", "chatroom:cluster", "CR3 server 2:zz;16:0000000000000001;"});
  redis.cli({"PUBLISH", "chatroom:room:lobby", std::string("CR3 said \xff\x00 binary", 18)});
  EXPECT_TRUE(alice.stays_silent(300ms));
  const std::string stats = console_reply(*n1, "\\stats", "invalid payloads ignored 3");
  EXPECT_NE(stats.find("invalid payloads ignored 3"), std::string::npos) << stats;
  alice.send("still fine\n");
  EXPECT_TRUE(read_until_line(dave, chat_line(alice, "still fine")));
}

TEST_F(Cluster, ANodeStartsWithoutRedisServesLocalChatAndJoinsWhenRedisAppears) {
  std::uint16_t port = 0;
  {
    RedisProcess probe;  // a port that is free, then nobody's
    port = probe.port();
  }
  auto n1 = start_node("redis://127.0.0.1:" + std::to_string(port), "n1");
  TestClient alice(n1->port());
  TestClient dave(n1->port());
  alice.send("\\nick alice\nlocal works\n");
  EXPECT_TRUE(read_until_line(dave, "<alice>:\tlocal works\n")) << n1->log();
  ASSERT_TRUE(n1->wait_for_log("cannot reach Redis", 2s)) << n1->log();
  std::this_thread::sleep_for(1500ms);
  const std::string log = n1->log();
  std::size_t warnings = 0;
  for (std::size_t at = log.find("cannot reach Redis"); at != std::string::npos; at = log.find("cannot reach Redis", at + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 1U) << "once per outage, not once per attempt or per connection:\n" << log;

  RedisProcess redis(port);
  const auto appeared = Clock::now();
  ASSERT_TRUE(n1->wait_for_log("joined the cluster", 5s)) << n1->log();
  std::printf("joined %lld ms after Redis appeared\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - appeared).count()));
  auto n2 = start_node(redis.url(), "n2");
  wait_until_joined(*n2);
  TestClient bob(n2->port());
  bob.send("\\nick alice\n");
  EXPECT_TRUE(read_until_line(bob, "! the nickname alice is taken\n")) << "the name granted offline was claimed when Redis came";
  EXPECT_NE(wait_for_room_size(bob, "lobby", 3), "");
  bob.send("hello n1\n");
  EXPECT_TRUE(read_until_line(alice, chat_line(bob, "hello n1")));
}

// Sends numbered probes from `from` until one reaches `to`; the time that took, or nullopt.
std::optional<std::chrono::milliseconds> time_until_delivery(TestClient& from, TestClient& to,
                                                            std::chrono::milliseconds limit) {
  const auto start = Clock::now();
  for (int probe = 0; Clock::now() - start < limit; ++probe) {
    from.send("probe " + std::to_string(probe) + "\n");
    const auto deadline = Clock::now() + 100ms;
    while (Clock::now() < deadline) {
      const auto line = to.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()) + 1ms);
      if (line && line->find(">:\tprobe ") != std::string::npos) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      }
    }
  }
  return std::nullopt;
}

TEST_F(Cluster, RedisRestartedMidChatLosesNoLocalLineAndCrossNodeDeliveryResumesWithinFiveSeconds) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 2);
  DaemonProcess* n1 = nodes[0].get();
  DaemonProcess* n2 = nodes[1].get();
  TestClient alice(n1->port());
  TestClient dave(n1->port());
  TestClient bob(n2->port());
  alice.send("\\nick alice\n");
  ASSERT_TRUE(read_until_line(alice, "* you are now known as alice\n"));
  ASSERT_NE(wait_for_room_size(bob, "lobby", 3), "");

  redis.kill();
  ASSERT_TRUE(n1->wait_for_log("lost the connection to the cluster", 5s)) << n1->log();
  for (int i = 0; i < 50; ++i) alice.send("during " + std::to_string(i) + "\n");
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(read_until_line(dave, "<alice>:\tduring " + std::to_string(i) + "\n")) << "local line " << i << " lost";
  }
  redis.restart();
  const auto resumed = time_until_delivery(alice, bob, 10s);
  ASSERT_TRUE(resumed) << n1->log();
  std::printf("cross-node delivery resumed %lld ms after Redis restarted\n", static_cast<long long>(resumed->count()));
  EXPECT_LT(*resumed, 5s);
  bob.send("\\nick alice\n");
  EXPECT_TRUE(read_until_line(bob, "! the nickname alice is taken\n")) << "the lease was restored";
  const std::string stats = console_reply(*n1, "\\stats", "cluster:");
  EXPECT_EQ(stats.find("dropped 0 "), std::string::npos) << "lines published while Redis was down are counted:\n" << stats;
}

TEST_F(Cluster, AStalledRedisNeitherBlocksTheLoopNorGrowsTheQueuePastItsBound) {
  RedisProcess redis;
  auto n1 = start_node(redis.url(), "n1", {"--cluster-max-output", "64KiB", "--max-line", "16KiB"});
  auto n2 = start_node(redis.url(), "n2");
  wait_until_joined(*n1);
  wait_until_joined(*n2);
  TestClient alice(n1->port());
  TestClient dave(n1->port());
  TestClient bob(n2->port());
  ASSERT_NE(wait_for_room_size(bob, "lobby", 3), "");

  // The load goes to a room of n1's alone, so n2 (and bob) are not flooded by it.
  alice.send("\\join load\n");
  dave.send("\\join load\n");
  ASSERT_TRUE(read_until_line(dave, "* you joined load (2 here)\n"));
  // A line a millisecond for 3 s, with the local delivery latency of each: 24 MB for Redis,
  // more than the kernel's socket buffers take, and far past the 64 KiB bound.
  const std::string payload(8000, 'x');
  int sequence = 0;
  const auto local_latencies_ms = [&](std::chrono::seconds period) {
    std::vector<double> latencies;
    const auto end = Clock::now() + period;
    while (Clock::now() < end && latencies.size() < 5000) {
      const auto sent = Clock::now();
      alice.send(std::to_string(sequence++) + " " + payload + "\n");
      const auto line = dave.read_line(2s);
      if (!line) break;
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      std::this_thread::sleep_until(sent + 1ms);
    }
    std::sort(latencies.begin(), latencies.end());
    return latencies;
  };
  const auto summary = [](const std::vector<double>& latencies) {
    char text[128];
    std::snprintf(text, sizeof(text), "%zu lines, p50 %.3f ms, p99 %.3f ms, max %.3f ms", latencies.size(),
                  latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100], latencies.back());
    return std::string(text);
  };
  const std::vector<double> before = local_latencies_ms(3s);
  ASSERT_GT(before.size(), 100U);
  redis.pause();
  const std::vector<double> during = local_latencies_ms(3s);
  const std::string stats = console_reply(*n1, "\\stats", "cluster:");
  redis.resume();
  ASSERT_GT(during.size(), 100U) << "local delivery stalled with Redis";
  std::printf("local delivery before the stall: %s\nlocal delivery during the stall: %s\n", summary(before).c_str(),
              summary(during).c_str());
  // A blocked loop would wait the whole stall; wide margins keep a busy machine from failing this.
  EXPECT_LT(during[during.size() / 2], 10 * before[before.size() / 2] + 5.0) << "the loop waited for Redis";
  EXPECT_LT(during.back(), 1000.0) << "the loop waited for Redis";
  const std::size_t queued_at = stats.find("queued for Redis ");
  ASSERT_NE(queued_at, std::string::npos) << stats;
  EXPECT_LE(std::stoull(stats.substr(queued_at + 17)), 64U * 1024) << stats;
  const std::size_t over_at = stats.find("while Redis was unreachable, ");
  ASSERT_NE(over_at, std::string::npos) << stats;
  EXPECT_GT(std::stoull(stats.substr(over_at + 29)), 0U) << "drops past the bound are counted:\n" << stats;
  alice.send("\\join lobby\n");
  EXPECT_TRUE(time_until_delivery(alice, bob, 10s)) << "delivery resumes once Redis does";
}

TEST_F(Cluster, ASigkilledNodesClientsLeaveAndFreeTheirNamesWithinTheLease) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 3, {"--announce-max-room", "200"});
  DaemonProcess* n1 = nodes[0].get();
  DaemonProcess* n2 = nodes[1].get();
  DaemonProcess* n3 = nodes[2].get();
  TestClient alice(n1->port());
  TestClient bob(n2->port());
  TestClient carol(n3->port());
  carol.send("\\nick carol\n");
  ASSERT_TRUE(read_until_line(carol, "* you are now known as carol\n"));
  ASSERT_NE(wait_for_room_size(alice, "lobby", 3, "carol").find("carol"), std::string::npos);

  n3->send_signal(SIGKILL);
  const auto killed = Clock::now();
  alice.send("still here\n");
  EXPECT_TRUE(read_until_line(bob, chat_line(alice, "still here"))) << "the others keep chatting";
  EXPECT_TRUE(read_until_line(alice, "* carol left (node n3 is gone)\n", 8s));
  const auto noticed = Clock::now() - killed;
  std::printf("the dead node's client left %lld ms after SIGKILL (lease 3000 ms)\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(noticed).count()));
  EXPECT_LT(noticed, 3s + 3s);
  EXPECT_EQ(wait_for_room_size(alice, "lobby", 2).find("carol"), std::string::npos);
  alice.send("\\nick carol\n");
  EXPECT_TRUE(read_until_line(alice, "* you are now known as carol\n")) << "the name freed itself";
}

TEST_F(Cluster, ANodeShutDownGracefullySaysGoodbyeSoItsClientsLeaveAtOnce) {
  RedisProcess redis;
  const auto nodes = start_joined_nodes(redis, 2, {"--announce-max-room", "200"});
  DaemonProcess* n1 = nodes[0].get();
  DaemonProcess* n2 = nodes[1].get();
  TestClient alice(n1->port());
  TestClient bob(n2->port());
  bob.send("\\nick bob\n");
  ASSERT_TRUE(read_until_line(bob, "* you are now known as bob\n"));
  ASSERT_NE(wait_for_room_size(alice, "lobby", 2, "bob").find("bob"), std::string::npos);
  n2->send_signal(SIGTERM);
  const auto last_words = bob.read_until_eof();
  ASSERT_TRUE(last_words);
  EXPECT_TRUE(last_words->ends_with("\\close")) << *last_words;
  const auto status = n2->wait_for_exit(5s);
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << n2->log();
  EXPECT_TRUE(read_until_line(alice, "* bob left (node n2 shut down)\n", 2s)) << "well before the lease";
  EXPECT_NE(wait_for_room_size(alice, "lobby", 1), "");
  alice.send("\\nick bob\n");
  EXPECT_TRUE(read_until_line(alice, "* you are now known as bob\n")) << "its names were given back";
}

// Two network namespaces, each joined to this one by a veth pair and a /30 in 198.18.0.0/15
// (the block reserved for benchmarking networks, so it clashes with no real one), and removed
// again. A namespace's only route is its /30: from inside it a node reaches the address on
// this side, where Redis listens, and nothing else, not even the other namespace.
class IsolatedNetworks {
 public:
  IsolatedNetworks() {
    const int id = static_cast<int>(::getpid() % 256);
    for (int side = 0; side < 2; ++side) {
      Net net;
      net.name = "cr" + std::to_string(::getpid()) + (side == 0 ? "a" : "b");
      net.host_link = net.name + "h";
      const std::string prefix = "198.18." + std::to_string(id) + ".";
      net.outside = prefix + std::to_string(side * 4 + 1);
      net.inside = prefix + std::to_string(side * 4 + 2);
      nets_.push_back(net);
      if (!run({"ip", "netns", "add", net.name})) return;
      created_.push_back(net.name);
      if (!run({"ip", "link", "add", net.host_link, "type", "veth", "peer", "name", "veth0", "netns", net.name}) ||
          !run({"ip", "addr", "add", net.outside + "/30", "dev", net.host_link}) ||
          !run({"ip", "link", "set", net.host_link, "up"}) ||
          !run({"ip", "netns", "exec", net.name, "ip", "addr", "add", net.inside + "/30", "dev", "veth0"}) ||
          !run({"ip", "netns", "exec", net.name, "ip", "link", "set", "veth0", "up"}) ||
          !run({"ip", "netns", "exec", net.name, "ip", "link", "set", "lo", "up"})) {
        return;
      }
    }
    ready_ = true;
  }
  ~IsolatedNetworks() {
    for (const std::string& name : created_) run_command({"ip", "netns", "del", name});  // takes the veth pair along
  }
  IsolatedNetworks(const IsolatedNetworks&) = delete;
  IsolatedNetworks& operator=(const IsolatedNetworks&) = delete;

  struct Net {
    std::string name;
    std::string host_link;
    std::string outside;  // this side of the pair: where Redis listens
    std::string inside;   // the node's address
  };
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] const std::string& why_not() const { return why_not_; }
  [[nodiscard]] const Net& net(std::size_t side) const { return nets_[side]; }
  // True if a TCP connection from inside `side` to HOST:PORT succeeds.
  bool can_connect(std::size_t side, const std::string& host, std::uint16_t port) const {
    return run_command({"ip", "netns", "exec", nets_[side].name, "timeout", "3", "bash", "-c",
                        "exec 3<>/dev/tcp/" + host + "/" + std::to_string(port)})
               .exit_code == 0;
  }

 private:
  bool run(const std::vector<std::string>& command) {
    const CommandOutcome outcome = run_command(command);
    if (outcome.exit_code == 0) return true;
    why_not_ = command[0] + " " + command[1] + " " + command[2] + ": " + outcome.output;
    return false;
  }

  std::vector<Net> nets_;
  std::vector<std::string> created_;
  bool ready_ = false;
  std::string why_not_;
};

std::string ip_path() {
  for (const char* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"}) {
    if (::access(path, X_OK) == 0) return path;
  }
  return {};
}

TEST_F(Cluster, TheRedisPasswordFileIsReadLikeEveryPasswordFileTrimmedAndBounded) {
  RedisProcess redis(std::nullopt, {"--requirepass", "pa ss"});
  TempDir dir;
  // An editor's blank first line and trailing whitespace are not part of the password.
  const std::string password_file = dir.file("redis-password");
  std::ofstream(password_file) << "\n  pa ss \t\n\n";
  auto nodes = start_joined_nodes(redis, 2, {"--cluster-password-file", password_file});
  TestClient alice(nodes[0]->port());
  TestClient bob(nodes[1]->port());
  alice.send("\\nick alice\n");
  bob.send("\\nick bob\n");
  wait_for_room_size(bob, "lobby", 2, "alice");
  alice.send("over the password\n");
  EXPECT_TRUE(read_until_line(bob, "<alice>:\tover the password\n")) << nodes[1]->log();

  const std::string too_large = dir.file("too-large");
  std::ofstream(too_large) << std::string(5000, 'x');
  const CommandOutcome refused = run_command(
      {chatroomd_path(), "--port", "0", "--no-console", "--cluster", redis.url(), "--cluster-password-file", too_large});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("the password file " + too_large + " is larger than 4096 bytes"), std::string::npos)
      << refused.output;
}

TEST_F(Cluster, NodesInSeparateNetworkNamespacesThatReachOnlyRedisShareARoom) {
  if (ip_path().empty()) GTEST_SKIP() << "no ip(8) to create network namespaces with (iproute2)";
  IsolatedNetworks networks;
  if (!networks.ready()) {
    GTEST_SKIP() << "cannot create network namespaces here (needs root or CAP_NET_ADMIN): " << networks.why_not()
                 << "; the other cluster tests cover the same behaviour with every node on loopback";
  }
  const auto& a = networks.net(0);
  const auto& b = networks.net(1);
  RedisProcess redis(std::nullopt, {"--bind", "127.0.0.1", a.outside, b.outside, "--protected-mode", "no"});
  const std::string port = std::to_string(redis.port());
  const std::vector<std::string> common{"--cluster-lease", "3", "--rate-limit", "0", "--announce-max-room", "200"};
  std::vector<std::string> args_a{"--host", a.inside, "--cluster", "redis://" + a.outside + ":" + port, "--node-name", "a"};
  std::vector<std::string> args_b{"--host", b.inside, "--cluster", "redis://" + b.outside + ":" + port, "--node-name", "b"};
  args_a.insert(args_a.end(), common.begin(), common.end());
  args_b.insert(args_b.end(), common.begin(), common.end());
  DaemonProcess node_a(args_a, {}, std::nullopt, {ip_path(), "netns", "exec", a.name});
  DaemonProcess node_b(args_b, {}, std::nullopt, {ip_path(), "netns", "exec", b.name});
  wait_until_joined(node_a);
  wait_until_joined(node_b);

  EXPECT_TRUE(networks.can_connect(0, a.outside, redis.port())) << "a reaches Redis";
  EXPECT_FALSE(networks.can_connect(0, b.inside, node_b.port())) << "a must not reach b";
  EXPECT_FALSE(networks.can_connect(1, a.inside, node_a.port())) << "b must not reach a";

  TestClient alice(node_a.port(), a.inside);
  TestClient bob(node_b.port(), b.inside);
  alice.send("\\nick alice\n");
  ASSERT_TRUE(read_until_line(alice, "* you are now known as alice\n"));
  EXPECT_NE(wait_for_room_size(bob, "lobby", 2, "alice"), "");
  alice.send("across namespaces\n");
  EXPECT_TRUE(read_until_line(bob, "<alice>:\tacross namespaces\n"));
  bob.send("\\nick alice\n");
  EXPECT_TRUE(read_until_line(bob, "! the nickname alice is taken\n"));
  bob.send("\\msg alice hello from b\n");
  EXPECT_TRUE(read_until_line(alice, "*" + bob.name() + "*:\thello from b\n"));
}

}  // namespace
}  // namespace chatroom::testing
