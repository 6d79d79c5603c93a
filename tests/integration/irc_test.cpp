// IRC clients in the same rooms as line-protocol clients, through a real chatroomd on
// loopback: registration as RFC 2812 and IRCv3 capability negotiation describe it, channel
// and private messages both ways, actions, renames, joins and parts, the numerics for bad
// commands, PING, QUIT, and the limits the other listeners have.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "support/test_client.hpp"
#include "support/tls_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

// chatroomd with an IRC listener on a free port beside its line-protocol one.
class IrcDaemon {
 public:
  explicit IrcDaemon(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--irc-port", "0", "--irc-port-file", port_file_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_ = std::make_unique<DaemonProcess>(args);
    std::ifstream in(port_file_);
    int port = 0;
    in >> port;
    irc_port_ = static_cast<std::uint16_t>(port);
  }
  [[nodiscard]] std::uint16_t irc_port() const { return irc_port_; }
  [[nodiscard]] std::uint16_t chat_port() const { return daemon_->port(); }
  DaemonProcess& daemon() { return *daemon_; }

 private:
  TempDir dir_;
  std::filesystem::path port_file_ = dir_.path() / "irc-port";
  std::unique_ptr<DaemonProcess> daemon_;
  std::uint16_t irc_port_ = 0;
};

// A raw IRC connection: what it sends and reads is checked byte for byte.
class IrcClient {
 public:
  explicit IrcClient(std::uint16_t port) : client_(port, "127.0.0.1", /*read_welcome=*/false) {}

  void send(const std::string& lines) { client_.send(lines); }

  // The next line, "\r\n" included; "" on timeout.
  std::string line(std::chrono::milliseconds timeout = 5s) { return client_.read_line(timeout).value_or(""); }

  // Reads until a line containing `text` and returns it (or "" on timeout); earlier lines are
  // kept in `skipped`.
  std::string line_with(const std::string& text, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string next = line(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now() + 1ms));
      if (next.empty()) break;
      if (next.find(text) != std::string::npos) return next;
      skipped.push_back(next);
    }
    return "";
  }

  // Registers as `nick` the plain way and reads up to the end of the lobby's NAMES.
  void register_as(const std::string& nick) {
    send("NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + " Test\r\n");
    ASSERT_EQ(line_with(" 001 "), ":chatroomd 001 " + nick + " :Welcome to the chatroom IRC network, " + nick + "!" +
                                      nick + "@chatroomd\r\n");
    ASSERT_NE(line_with(" 366 " + nick + " #lobby "), "");
  }

  bool closed_within(std::chrono::milliseconds timeout) { return client_.read_until_eof(timeout).has_value(); }
  bool stays_silent(std::chrono::milliseconds quiet) { return client_.stays_silent(quiet); }

  std::vector<std::string> skipped;

 private:
  TestClient client_;
};

TEST(Irc, RegistrationWelcomesWithTheNumericsClientsWaitFor) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.send("NICK alice\r\nUSER alice 0 * :Alice Liddell\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 001 alice :Welcome to the chatroom IRC network, alice!alice@chatroomd\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 002 alice :Your host is chatroomd, running version chatroomd-0.1.0\r\n");
  EXPECT_TRUE(alice.line().starts_with(":chatroomd 003 alice :This server was created "));
  EXPECT_EQ(alice.line(), ":chatroomd 004 alice chatroomd chatroomd-0.1.0 i bklmnt\r\n");
  const std::string isupport = alice.line();
  for (const char* token : {"CASEMAPPING=ascii", "CHANTYPES=#", "PREFIX=(o)@", "CHANMODES=b,k,l,nt", "NICKLEN=32",
                            "CHANNELLEN=33", "TOPICLEN=390", "NETWORK=chatroom"}) {
    EXPECT_NE(isupport.find(std::string(" ") + token + " "), std::string::npos) << token << " in " << isupport;
  }
  EXPECT_TRUE(isupport.starts_with(":chatroomd 005 alice ")) << isupport;
  EXPECT_TRUE(alice.line().starts_with(":chatroomd 251 alice :There are 1 users"));
  EXPECT_TRUE(alice.line().starts_with(":chatroomd 254 alice "));
  EXPECT_TRUE(alice.line().starts_with(":chatroomd 255 alice "));
  EXPECT_EQ(alice.line(), ":chatroomd 422 alice :MOTD File is missing\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd JOIN #lobby\r\n") << "every member starts in #lobby";
  EXPECT_EQ(alice.line(), ":chatroomd 353 alice = #lobby :@alice\r\n") << "the first member is the operator";
  EXPECT_EQ(alice.line(), ":chatroomd 366 alice #lobby :End of /NAMES list\r\n");
}

TEST(Irc, CommandsBeforeRegistrationGet451AndPingIsAnswered) {
  IrcDaemon server;
  IrcClient early(server.irc_port());
  early.send("JOIN #den\r\nPRIVMSG #lobby :hi\r\nPING :token-1\r\n");
  EXPECT_EQ(early.line(), ":chatroomd 451 * :You have not registered\r\n");
  EXPECT_EQ(early.line(), ":chatroomd 451 * :You have not registered\r\n");
  EXPECT_EQ(early.line(), ":chatroomd PONG chatroomd :token-1\r\n");
}

TEST(Irc, RegistrationWaitsForCapEndAndCapabilitiesAreAckedOrNakedWhole) {
  IrcDaemon server;
  IrcClient modern(server.irc_port());
  modern.send("CAP LS 302\r\nNICK modern\r\nUSER modern 0 * :Modern\r\n");
  EXPECT_EQ(modern.line(), ":chatroomd CAP * LS :away-notify echo-message message-tags multi-prefix server-time\r\n");
  EXPECT_TRUE(modern.stays_silent(300ms)) << "no welcome before CAP END";
  // Until it is registered, the client has no nickname to be called by: "*".
  modern.send("CAP REQ :server-time sasl\r\n");
  EXPECT_EQ(modern.line(), ":chatroomd CAP * NAK :server-time sasl\r\n") << "sasl: only with a server password";
  modern.send("CAP REQ :server-time echo-message\r\n");
  EXPECT_EQ(modern.line(), ":chatroomd CAP * ACK :server-time echo-message\r\n");
  modern.send("CAP LIST\r\n");
  EXPECT_EQ(modern.line(), ":chatroomd CAP * LIST :echo-message server-time\r\n");
  modern.send("CAP END\r\n");
  EXPECT_NE(modern.line_with(" 001 modern "), "");
  // server-time: its own JOIN carries the time.
  const std::string join = modern.line_with(" JOIN #lobby");
  EXPECT_TRUE(join.starts_with("@time=20")) << join;
  EXPECT_TRUE(join.ends_with("Z :modern!modern@chatroomd JOIN #lobby\r\n")) << join;
}

TEST(Irc, IrcAndLineClientsChatBothWaysInTheSameRoomUtf8Included) {
  IrcDaemon server({"--announce-max-room", "200"});
  TestClient bob(server.chat_port());
  bob.send("\\nick bob\n");
  ASSERT_EQ(bob.read_line(), "* you are now known as bob\n");
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  EXPECT_EQ(bob.read_line(), "* alice joined\n");

  alice.send("PRIVMSG #lobby :h\xc3\xa9llo from IRC \xe2\x9c\x93\r\n");
  EXPECT_EQ(bob.read_line(), "<alice>:\th\xc3\xa9llo from IRC \xe2\x9c\x93\n");
  bob.send("and back \xf0\x9f\x91\x8b\n");
  EXPECT_EQ(alice.line(), ":bob!bob@chatroomd PRIVMSG #lobby :and back \xf0\x9f\x91\x8b\r\n");

  alice.send("PRIVMSG #lobby :\x01" "ACTION waves\x01\r\n");
  EXPECT_EQ(bob.read_line(), "* alice waves\n");
  bob.send("\\me bows\n");
  EXPECT_EQ(alice.line(), ":bob!bob@chatroomd PRIVMSG #lobby :\x01" "ACTION bows\x01\r\n");

  alice.send("PRIVMSG bob :just you\r\n");
  EXPECT_EQ(bob.read_line(), "*alice*:\tjust you\n");
  bob.send("\\msg alice and you\n");
  EXPECT_EQ(bob.read_line(), "-> *alice*:\tand you\n");
  EXPECT_EQ(alice.line(), ":bob!bob@chatroomd PRIVMSG alice :and you\r\n");

  bob.send("\\nick robert\n");
  ASSERT_EQ(bob.read_line(), "* you are now known as robert\n");
  EXPECT_EQ(alice.line(), ":bob!bob@chatroomd NICK :robert\r\n");
  alice.send("NICK alicia\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd NICK :alicia\r\n");
  EXPECT_EQ(bob.read_line(), "* alice is now known as alicia\n");
}

TEST(Irc, JoinAddsAChannelAndPartLeavesOneAndTheLastPartReturnsToTheLobby) {
  IrcDaemon server({"--announce-max-room", "200", "--max-rooms", "3"});
  TestClient carol(server.chat_port());
  carol.send("\\nick carol\n\\join den\n");
  ASSERT_EQ(carol.read_line(), "* you are now known as carol\n");
  ASSERT_EQ(carol.read_line(), "* you joined den (1 here)\n");
  TestClient frank(server.chat_port());  // stays in the lobby
  frank.send("\\nick frank\n");
  ASSERT_EQ(frank.read_line(), "* you are now known as frank\n");
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  EXPECT_EQ(frank.read_line(), "* alice joined\n");
  alice.send("JOIN #den\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd JOIN #den\r\n") << "no PART #lobby: it stays there too";
  const std::string names = alice.line();
  EXPECT_TRUE(names == ":chatroomd 353 alice = #den :@carol alice\r\n" ||
              names == ":chatroomd 353 alice = #den :alice @carol\r\n")
      << names;
  EXPECT_EQ(alice.line(), ":chatroomd 366 alice #den :End of /NAMES list\r\n");
  EXPECT_EQ(carol.read_line(), "* alice joined\n");

  // Each line goes to the channel it names, and to a list of them once each.
  carol.send("welcome\n");
  EXPECT_EQ(alice.line(), ":carol!carol@chatroomd PRIVMSG #den :welcome\r\n");
  frank.send("hi lobby\n");
  EXPECT_EQ(alice.line(), ":frank!frank@chatroomd PRIVMSG #lobby :hi lobby\r\n");
  alice.send("PRIVMSG #lobby :to the lobby\r\nPRIVMSG #den,#lobby :to both \xc3\xa9\r\nPRIVMSG #attic :nobody\r\n");
  EXPECT_EQ(frank.read_line(), "<alice>:\tto the lobby\n");
  EXPECT_EQ(frank.read_line(), "<alice>:\tto both \xc3\xa9\n");
  EXPECT_EQ(carol.read_line(), "<alice>:\tto both \xc3\xa9\n");
  EXPECT_EQ(alice.line(), ":chatroomd 404 alice #attic :Cannot send to channel\r\n");
  alice.send("NAMES\r\n");  // every channel of its own
  std::vector<std::string> listed{alice.line_with(" 366 "), alice.line_with(" 366 ")};
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, (std::vector<std::string>{":chatroomd 366 alice #den :End of /NAMES list\r\n",
                                              ":chatroomd 366 alice #lobby :End of /NAMES list\r\n"}));

  // CHANLIMIT holds: a third channel, not a fourth.
  alice.send("JOIN #attic,#cellar\r\n");
  EXPECT_EQ(alice.line_with(" JOIN "), ":alice!alice@chatroomd JOIN #attic\r\n");
  EXPECT_EQ(alice.line_with(" 405 "), ":chatroomd 405 alice #cellar :You have joined too many channels\r\n");
  alice.send("WHOIS alice\r\n");
  EXPECT_EQ(alice.line_with(" 319 "), ":chatroomd 319 alice alice :#lobby #den @#attic\r\n");
  ASSERT_NE(alice.line_with(" 318 "), "");
  alice.send("LUSERS\r\n");
  EXPECT_EQ(alice.line_with(" 251 "), ":chatroomd 251 alice :There are 3 users and 0 invisible on 1 servers\r\n")
      << "each member once, however many channels it is in";
  ASSERT_NE(alice.line_with(" 255 "), "");

  alice.send("PART #den :later\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd PART #den :later\r\n");
  EXPECT_EQ(carol.read_line(), "* alice left (later)\n");
  alice.send("PART #lobby,#den\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd PART #lobby\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 442 alice #den :You're not on that channel\r\n");
  EXPECT_EQ(frank.read_line(), "* alice left\n");
  // Parting its last channel puts it back in the lobby: every member is somewhere.
  alice.send("PART #attic\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd PART #attic\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd JOIN #lobby\r\n");
  EXPECT_EQ(frank.read_line(), "* alice joined\n");
  alice.send("JOIN #den,#attic\r\n");
  ASSERT_NE(alice.line_with(" 366 alice #attic "), "");
  alice.skipped.clear();
  alice.send("JOIN 0\r\n");  // out of every channel but the lobby
  std::vector<std::string> parts{alice.line(), alice.line()};
  std::sort(parts.begin(), parts.end());
  EXPECT_EQ(parts, (std::vector<std::string>{":alice!alice@chatroomd PART #attic\r\n", ":alice!alice@chatroomd PART #den\r\n"}));
  alice.send("PING :sync\r\n");
  EXPECT_EQ(alice.line_with(" PONG "), ":chatroomd PONG chatroomd :sync\r\n");
  for (const std::string& line : alice.skipped) EXPECT_EQ(line.find("#lobby"), std::string::npos) << line;
}

// An IRC user in several channels with another is told of a rename, an away state and a quit
// once, as IRC names no channel for them; a line client in one of them once too.
TEST(Irc, ANickAwayOrQuitOfAMemberOfSeveralChannelsIsToldOnceToEach) {
  IrcDaemon server({"--announce-max-room", "200"});
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  IrcClient bob(server.irc_port());
  bob.send("CAP LS 302\r\nCAP REQ :away-notify\r\nCAP END\r\n");
  bob.register_as("bob");
  for (IrcClient* member : {&alice, &bob}) {
    member->send("JOIN #den,#attic\r\n");
    ASSERT_NE(member->line_with(" 366 "), "");
    ASSERT_NE(member->line_with(" 366 "), "");
  }
  TestClient carol(server.chat_port());
  carol.send("\\nick carol\n\\join den\n");
  ASSERT_EQ(carol.read_line(), "* you are now known as carol\n");
  ASSERT_EQ(carol.read_line(), "* you joined den (3 here)\n");
  bob.send("PING :joined\r\n");
  ASSERT_NE(bob.line_with(" PONG "), "");
  bob.skipped.clear();

  alice.send("NICK alicia\r\nAWAY :lunch\r\nQUIT :bye\r\n");
  EXPECT_EQ(carol.read_line(), "* alice is now known as alicia\n");
  EXPECT_EQ(carol.read_line(), "* alicia left (bye)\n");
  bob.send("PING :sync\r\n");
  ASSERT_NE(bob.line_with(" PONG "), "");
  EXPECT_EQ(bob.skipped, (std::vector<std::string>{":alice!alice@chatroomd NICK :alicia\r\n",
                                                   ":alicia!alicia@chatroomd AWAY :lunch\r\n",
                                                   ":alicia!alicia@chatroomd QUIT :bye\r\n"}));
}

TEST(Irc, NicknamesAreSharedAcrossProtocolsAndCollisionsGet433) {
  IrcDaemon server;
  TestClient dave(server.chat_port());
  dave.send("\\nick dave\n");
  ASSERT_EQ(dave.read_line(), "* you are now known as dave\n");
  IrcClient other(server.irc_port());
  other.send("NICK DAVE\r\nUSER d 0 * :d\r\n");
  EXPECT_EQ(other.line(), ":chatroomd 433 * DAVE :Nickname is already in use\r\n") << "nicknames fold case";
  other.send("NICK bad.name\r\n");
  EXPECT_EQ(other.line(), ":chatroomd 432 * bad.name :Erroneous nickname\r\n");
  other.send("NICK :a nick with spaces that goes on and on and on and on\r\n");
  EXPECT_EQ(other.line(), ":chatroomd 432 * a_nick_with_spaces_that_goes_on_and_on_a :Erroneous nickname\r\n")
      << "one parameter, cut short";
  other.send("NICK dave_\r\n");
  EXPECT_EQ(other.line(), ":chatroomd 001 dave_ :Welcome to the chatroom IRC network, dave_!dave_@chatroomd\r\n");
  dave.send("\\nick dave_\n");
  EXPECT_EQ(dave.read_line(), "! the nickname dave_ is taken\n");
}

TEST(Irc, BadCommandsGetTheirNumericsAndNeverEndTheConnection) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  alice.send("FROB x\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 421 alice FROB :Unknown command\r\n");
  alice.send("PRIVMSG\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 411 alice :No recipient given (PRIVMSG)\r\n");
  alice.send("PRIVMSG #lobby\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 412 alice :No text to send\r\n");
  alice.send("PRIVMSG nobody :hello?\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 401 alice nobody :No such nick/channel\r\n");
  alice.send("JOIN\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 461 alice JOIN :Not enough parameters\r\n");
  alice.send("JOIN &local\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 403 alice &local :No such channel\r\n");
  alice.send("USER again 0 * :again\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 462 alice :You may not reregister\r\n");
  alice.send("WHOIS ghost\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 401 alice ghost :No such nick/channel\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 318 alice ghost :End of /WHOIS list\r\n");
  alice.send(std::string("PRIVMSG #lobby :") + std::string(600, 'x') + "\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 417 alice :Input line was too long\r\n");
  alice.send("@bad;;=x PRIVMSG\r\n:only-a-prefix\r\n\x01\x02\r\n");
  EXPECT_NE(alice.line(), "");
  alice.send("PING :still-here\r\n");
  EXPECT_EQ(alice.line_with("PONG"), ":chatroomd PONG chatroomd :still-here\r\n");
}

TEST(Irc, WhoWhoisModeAndNamesAnswerWhatClientsAskWhenTheyJoin) {
  IrcDaemon server;
  TestClient erin(server.chat_port());
  erin.send("\\nick erin\n");
  ASSERT_EQ(erin.read_line(), "* you are now known as erin\n");
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  alice.send("MODE #lobby\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 324 alice #lobby +n\r\n");
  EXPECT_TRUE(alice.line().starts_with(":chatroomd 329 alice #lobby "));
  alice.send("MODE #lobby b\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 368 alice #lobby :End of channel ban list\r\n");
  alice.send("MODE #lobby +z\r\nMODE #lobby +t\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 472 alice z :is unknown mode char to me\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 482 alice #lobby :You're not channel operator\r\n") << "erin opened it";
  alice.send("MODE alice\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 221 alice +i\r\n");
  alice.send("MODE alice +i\r\n");
  EXPECT_EQ(alice.line(), ":alice!alice@chatroomd MODE alice :+i\r\n") << "irssi asks this at once";
  alice.send("MODE alice +z\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 501 alice :Unknown MODE flag\r\n");
  alice.send("WHOIS erin\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 311 alice erin erin chatroomd * :erin\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 319 alice erin :@#lobby\r\n") << "erin opened the lobby: its operator";
  EXPECT_EQ(alice.line(), ":chatroomd 312 alice erin chatroomd :chatroom\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 318 alice erin :End of /WHOIS list\r\n");
  alice.send("WHO erin\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 352 alice #lobby erin chatroomd chatroomd erin H@ :0 erin\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 315 alice erin :End of /WHO list\r\n");
  alice.send("NAMES #lobby\r\n");
  const std::string names = alice.line();
  EXPECT_TRUE(names == ":chatroomd 353 alice = #lobby :@erin alice\r\n" ||
              names == ":chatroomd 353 alice = #lobby :alice @erin\r\n")
      << names;
  EXPECT_EQ(alice.line(), ":chatroomd 366 alice #lobby :End of /NAMES list\r\n");
  alice.send("LIST\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 321 alice Channel :Users  Name\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 322 alice #lobby 2 :\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 323 alice :End of /LIST\r\n");
}

TEST(Irc, ATopicIsSharedByEveryProtocolAndShownOnJoining) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  alice.send("TOPIC #lobby\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 331 alice #lobby :No topic is set\r\n");
  TestClient bob(server.chat_port());
  bob.send("\\nick bob\n");
  ASSERT_EQ(bob.read_line(), "* you are now known as bob\n");
  alice.send("TOPIC #lobby :caf\xc3\xa9 talk: be kind\r\n");
  EXPECT_EQ(alice.line_with("TOPIC"), ":alice!alice@chatroomd TOPIC #lobby :caf\xc3\xa9 talk: be kind\r\n");
  EXPECT_EQ(bob.read_line(), "* alice set the topic: caf\xc3\xa9 talk: be kind\n");
  bob.send("\\topic\n");
  EXPECT_EQ(bob.read_line(), "* topic of lobby: caf\xc3\xa9 talk: be kind (set by alice)\n");
  bob.send("\\topic bob was here\n");
  EXPECT_EQ(bob.read_line(), "* bob set the topic: bob was here\n");
  EXPECT_EQ(alice.line_with("TOPIC"), ":bob!bob@chatroomd TOPIC #lobby :bob was here\r\n");
  alice.send("TOPIC #lobby\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 332 alice #lobby :bob was here\r\n");
  EXPECT_TRUE(alice.line().starts_with(":chatroomd 333 alice #lobby bob 1"));
  IrcClient carol(server.irc_port());
  carol.send("NICK carol\r\nUSER carol 0 * :carol\r\n");
  EXPECT_EQ(carol.line_with("JOIN #lobby"), ":carol!carol@chatroomd JOIN #lobby\r\n");
  EXPECT_EQ(carol.line(), ":chatroomd 332 carol #lobby :bob was here\r\n") << "the topic comes with the join";
  EXPECT_TRUE(carol.line().starts_with(":chatroomd 333 carol #lobby bob "));
  alice.send("TOPIC #den :elsewhere\r\n");
  EXPECT_EQ(alice.line_with(" 442 "), ":chatroomd 442 alice #den :You're not on that channel\r\n");
  bob.send("\\topic -\n");
  EXPECT_EQ(bob.read_line(), "* bob cleared the topic\n");
  EXPECT_EQ(alice.line_with("TOPIC"), ":bob!bob@chatroomd TOPIC #lobby :\r\n");
}

TEST(Irc, IsonAndUserhostTellWhoIsHereAndWhoIsAwayWhateverTheProtocol) {
  IrcDaemon server;
  TestClient bob(server.chat_port());
  bob.send("\\nick Bob\n");
  ASSERT_EQ(bob.read_line(), "* you are now known as Bob\n");
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  IrcClient carol(server.irc_port());
  carol.register_as("carol");
  carol.send("AWAY :lunch\r\n");
  ASSERT_EQ(carol.line_with(" 306 "), ":chatroomd 306 carol :You have been marked as being away\r\n");

  // As the server spells them, in the order asked, whether as middle or trailing parameters.
  alice.send("ISON bob CAROL nobody\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 303 alice :Bob carol\r\n");
  alice.send("ISON :nobody carol  bob\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 303 alice :carol Bob\r\n");
  alice.send("ISON nobody\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 303 alice :\r\n");

  alice.send("USERHOST bob carol nobody\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 302 alice :Bob=+Bob@chatroomd carol=-carol@chatroomd\r\n");
  // Five at the most, as RFC 2812 says.
  alice.send("USERHOST a b c d e bob\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 302 alice :\r\n");

  alice.send("ISON\r\nUSERHOST\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 461 alice ISON :Not enough parameters\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 461 alice USERHOST :Not enough parameters\r\n");
}

TEST(Irc, AwayIsToldToWhoeverWritesAndShownByWhoisAndWho) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  IrcClient bob(server.irc_port());
  bob.register_as("bob");
  alice.send("AWAY :gone for lunch\r\n");
  EXPECT_EQ(alice.line_with(" 306 "), ":chatroomd 306 alice :You have been marked as being away\r\n");
  bob.send("PRIVMSG alice :are you there?\r\n");
  EXPECT_EQ(bob.line_with(" 301 "), ":chatroomd 301 bob alice :gone for lunch\r\n");
  EXPECT_EQ(alice.line_with("PRIVMSG"), ":bob!bob@chatroomd PRIVMSG alice :are you there?\r\n") << "still delivered";
  bob.send("WHOIS alice\r\nWHO alice\r\n");
  EXPECT_EQ(bob.line_with(" 301 "), ":chatroomd 301 bob alice :gone for lunch\r\n");
  EXPECT_EQ(bob.line_with(" 352 "), ":chatroomd 352 bob #lobby alice chatroomd chatroomd alice G@ :0 alice\r\n");
  alice.send("AWAY\r\n");
  EXPECT_EQ(alice.line_with(" 305 "), ":chatroomd 305 alice :You are no longer marked as being away\r\n");
  bob.send("PRIVMSG alice :back?\r\nPING :sync\r\n");
  EXPECT_EQ(bob.line_with(" PONG "), ":chatroomd PONG chatroomd :sync\r\n");
  for (const std::string& skipped : bob.skipped) EXPECT_EQ(skipped.find(" 301 "), std::string::npos) << skipped;
}

TEST(Irc, AwayNotifyTellsWhoAskedForItWhenARoommateGoesAwayComesBackOrJoinsAway) {
  IrcDaemon server({"--announce-max-room", "200"});  // joins are told, and so the AWAY after one
  IrcClient carol(server.irc_port());  // asks for away-notify
  carol.send("CAP LS 302\r\nCAP REQ :away-notify\r\n");
  EXPECT_EQ(carol.line_with(" ACK "), ":chatroomd CAP * ACK :away-notify\r\n");
  carol.send("CAP END\r\n");
  carol.register_as("carol");
  IrcClient dave(server.irc_port());  // does not
  dave.register_as("dave");
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  alice.send("AWAY :gone for lunch\r\n");
  EXPECT_EQ(carol.line_with(" AWAY"), ":alice!alice@chatroomd AWAY :gone for lunch\r\n");
  alice.send("AWAY\r\n");
  EXPECT_EQ(carol.line_with(" AWAY"), ":alice!alice@chatroomd AWAY\r\n");

  // Away and then into carol's room: the JOIN, then the AWAY.
  carol.send("JOIN #den\r\n");
  ASSERT_NE(carol.line_with(" 366 carol #den "), "");
  alice.send("AWAY :in a meeting\r\nJOIN #den\r\n");
  EXPECT_EQ(carol.line_with(" JOIN "), ":alice!alice@chatroomd JOIN #den\r\n");
  EXPECT_EQ(carol.line(), ":alice!alice@chatroomd AWAY :in a meeting\r\n");

  dave.send("PING :sync\r\n");
  EXPECT_EQ(dave.line_with(" PONG "), ":chatroomd PONG chatroomd :sync\r\n");
  for (const std::string& skipped : dave.skipped) EXPECT_EQ(skipped.find(" AWAY"), std::string::npos) << skipped;
}

TEST(Irc, TheMemberWhoOpensARoomIsItsOperatorAndMayPutOthersOut) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  alice.send("JOIN #den\r\n");
  EXPECT_EQ(alice.line_with(" 353 "), ":chatroomd 353 alice = #den :@alice\r\n");
  IrcClient bob(server.irc_port());
  bob.register_as("bob");
  bob.send("JOIN #den\r\nPART #lobby\r\n");  // in #den alone
  const std::string names = bob.line_with(" 353 ");
  EXPECT_TRUE(names == ":chatroomd 353 bob = #den :@alice bob\r\n" || names == ":chatroomd 353 bob = #den :bob @alice\r\n")
      << names;
  EXPECT_EQ(bob.line_with(" PART "), ":bob!bob@chatroomd PART #lobby\r\n");
  TestClient carol(server.chat_port());
  carol.send("\\nick carol\n\\join den\n");
  ASSERT_EQ(carol.read_line(), "* you are now known as carol\n");
  ASSERT_EQ(carol.read_line(), "* you joined den (3 here)\n");

  bob.send("KICK #den carol :not yours to do\r\n");
  EXPECT_EQ(bob.line_with(" 482 "), ":chatroomd 482 bob #den :You're not channel operator\r\n");
  alice.send("KICK #den nobody\r\n");
  EXPECT_EQ(alice.line_with(" 441 "), ":chatroomd 441 alice nobody #den :They aren't on that channel\r\n");
  alice.send("KICK #den carol :too loud\r\n");
  EXPECT_EQ(alice.line_with(" KICK "), ":alice!alice@chatroomd KICK #den carol :too loud\r\n");
  EXPECT_EQ(bob.line_with(" KICK "), ":alice!alice@chatroomd KICK #den carol :too loud\r\n");
  EXPECT_EQ(carol.read_line(), "* carol was put out of den by alice (too loud)\n");
  EXPECT_EQ(carol.read_line(), "* you are in lobby (2 here)\n") << "put back in the lobby (with alice), not disconnected";
  alice.send("KICK #den bob\r\n");
  EXPECT_EQ(bob.line_with(" KICK "), ":alice!alice@chatroomd KICK #den bob :alice\r\n");
  EXPECT_EQ(bob.line(), ":bob!bob@chatroomd JOIN #lobby\r\n") << "out of its only channel, it lands in #lobby";
  alice.send("JOIN #attic\r\n");
  ASSERT_NE(alice.line_with(" 366 alice #attic "), "");
  bob.send("JOIN #den\r\n");
  ASSERT_NE(bob.line_with(" 366 bob #den "), "");
  alice.send("KICK #den bob\r\n");
  EXPECT_EQ(bob.line_with(" KICK "), ":alice!alice@chatroomd KICK #den bob :alice\r\n");
  bob.send("PRIVMSG #lobby :still here\r\nPRIVMSG #den :and here?\r\n");
  EXPECT_EQ(bob.line(), ":chatroomd 404 bob #den :Cannot send to channel\r\n") << "put out of #den alone";
  EXPECT_EQ(carol.read_line(), "<bob>:\tstill here\n");
}

TEST(Irc, AnOperatorNamesOthersWithModePlusOAndTakesItBackWithMinusO) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  alice.send("JOIN #den\r\n");
  ASSERT_EQ(alice.line_with(" 366 "), ":chatroomd 366 alice #den :End of /NAMES list\r\n");
  IrcClient bob(server.irc_port());
  bob.register_as("bob");
  bob.send("JOIN #den\r\n");
  ASSERT_NE(bob.line_with(" 366 bob #den "), "");
  TestClient carol(server.chat_port());
  carol.send("\\nick carol\n\\join den\n");
  ASSERT_EQ(carol.read_line(), "* you are now known as carol\n");
  ASSERT_EQ(carol.read_line(), "* you joined den (3 here)\n");

  bob.send("MODE #den +o bob\r\n");
  EXPECT_EQ(bob.line_with(" 482 "), ":chatroomd 482 bob #den :You're not channel operator\r\n");
  alice.send("MODE #den +o bob\r\n");
  EXPECT_EQ(alice.line_with(" MODE "), ":alice!alice@chatroomd MODE #den +o bob\r\n");
  EXPECT_EQ(bob.line_with(" MODE "), ":alice!alice@chatroomd MODE #den +o bob\r\n");
  EXPECT_EQ(carol.read_line(), "* bob is an operator of den now (by alice)\n");
  bob.send("NAMES #den\r\n");
  const std::string names = bob.line_with(" 353 ");
  EXPECT_NE(names.find("@bob"), std::string::npos) << names;
  EXPECT_NE(names.find("@alice"), std::string::npos) << names;

  // The new operator may kick, and name or unname others; a second +o changes nothing.
  bob.send("MODE #den +o-o carol alice\r\n");
  EXPECT_EQ(bob.line_with(" MODE "), ":bob!bob@chatroomd MODE #den +o carol\r\n");
  EXPECT_EQ(bob.line_with(" MODE "), ":bob!bob@chatroomd MODE #den -o alice\r\n");
  EXPECT_EQ(carol.read_line(), "* carol is an operator of den now (by bob)\n");
  EXPECT_EQ(carol.read_line(), "* alice is no operator of den now (by bob)\n");
  bob.send("MODE #den +o carol\r\nMODE #den +o nobody\r\nMODE #den +o\r\n");
  EXPECT_EQ(bob.line_with(" 441 "), ":chatroomd 441 bob nobody #den :They aren't on that channel\r\n");
  EXPECT_EQ(bob.line(), ":chatroomd 461 bob MODE :Not enough parameters\r\n");
  alice.send("KICK #den carol\r\n");
  EXPECT_EQ(alice.line_with(" 482 "), ":chatroomd 482 alice #den :You're not channel operator\r\n");
  bob.send("MODE #den -o bob\r\nMODE #den +o bob\r\n");
  EXPECT_EQ(bob.line_with(" MODE "), ":bob!bob@chatroomd MODE #den -o bob\r\n");
  EXPECT_EQ(bob.line_with(" 482 "), ":chatroomd 482 bob #den :You're not channel operator\r\n") << "gave it away";
}

TEST(Irc, InviteTellsAMemberOfAnyProtocolAboutTheInvitersRoom) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  alice.send("JOIN #den\r\nPART #lobby\r\n");
  ASSERT_EQ(alice.line_with(" 366 "), ":chatroomd 366 alice #den :End of /NAMES list\r\n");
  ASSERT_EQ(alice.line(), ":alice!alice@chatroomd PART #lobby\r\n");
  IrcClient bob(server.irc_port());
  bob.register_as("bob");
  TestClient carol(server.chat_port());
  carol.send("\\nick carol\n");
  ASSERT_EQ(carol.read_line(), "* you are now known as carol\n");

  alice.send("INVITE bob #den\r\nINVITE carol #den\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 341 alice bob #den\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 341 alice carol #den\r\n");
  EXPECT_EQ(bob.line(), ":alice!alice@chatroomd INVITE bob #den\r\n");
  EXPECT_EQ(carol.read_line(), "* alice invites you to den: \\join den\n");

  alice.send("INVITE nobody #den\r\nINVITE bob #lobby\r\nINVITE bob\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 401 alice nobody :No such nick/channel\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 442 alice #lobby :You're not on that channel\r\n");
  EXPECT_EQ(alice.line(), ":chatroomd 461 alice INVITE :Not enough parameters\r\n");
  bob.send("JOIN #den\r\n");
  ASSERT_NE(bob.line_with(" 366 bob #den "), "");
  alice.send("INVITE BOB #den\r\n");
  EXPECT_EQ(alice.line_with(" 443 "), ":chatroomd 443 alice BOB #den :is already on channel\r\n");

  // A line client invites with \invite.
  carol.send("\\invite alice\n\\invite\n\\invite ghost\n");
  EXPECT_EQ(carol.read_line(), "* invited alice to lobby\n");
  EXPECT_EQ(carol.read_line(), "! usage: \\invite NAME\n");
  EXPECT_EQ(carol.read_line(), "! no such user: ghost\n");
  EXPECT_EQ(alice.line_with(" INVITE "), ":carol!carol@chatroomd INVITE alice #lobby\r\n");
}

TEST(Irc, QuitIsAnsweredWithErrorAndTheRoomSeesTheReason) {
  IrcDaemon server({"--announce-max-room", "200"});
  TestClient frank(server.chat_port());
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  ASSERT_EQ(frank.read_line(), "* alice joined\n");
  alice.send("QUIT :gone fishing\r\n");
  EXPECT_EQ(alice.line(), "ERROR :Closing Link: gone fishing\r\n");
  EXPECT_TRUE(alice.closed_within(3s));
  EXPECT_EQ(frank.read_line(), "* alice left (gone fishing)\n");
}

TEST(Irc, ThePasswordGateHoldsForIrcToo) {
  TempDir dir;
  const auto password_file = dir.path() / "password";
  std::ofstream(password_file) << "open sesame\n";
  IrcDaemon server({"--password-file", password_file.string(), "--password-delay", "0.2"});
  IrcClient right(server.irc_port());
  right.send("PASS :open sesame\r\nNICK right\r\nUSER r 0 * :r\r\n");
  EXPECT_NE(right.line_with(" 001 right "), "");
  IrcClient wrong(server.irc_port());
  wrong.send("PASS :guess\r\nNICK wrong\r\nUSER w 0 * :w\r\n");
  EXPECT_NE(wrong.line_with(" 464 * :Password incorrect"), "");
  EXPECT_TRUE(wrong.closed_within(3s)) << "closed after the delay";
  IrcClient none(server.irc_port());
  none.send("NICK none\r\nUSER n 0 * :n\r\n");
  EXPECT_NE(none.line_with(" 464 * :Password incorrect"), "");
}

// IRCv3 SASL PLAIN, as irssi and WeeChat send it, with the server password.
TEST(Irc, SaslPlainLogsInWithTheServerPasswordInsteadOfPass) {
  TempDir dir;
  const auto password_file = dir.path() / "password";
  std::ofstream(password_file) << "open sesame\n";
  IrcDaemon server({"--password-file", password_file.string(), "--password-delay", "0.2"});
  IrcClient amy(server.irc_port());
  amy.send("CAP LS 302\r\nNICK amy\r\nUSER amy 0 * :amy\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd CAP * LS :away-notify echo-message message-tags multi-prefix sasl=PLAIN server-time\r\n");
  amy.send("AUTHENTICATE PLAIN\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd 904 * :SASL authentication failed\r\n") << "before the capability is asked for";
  amy.send("CAP REQ :sasl\r\nAUTHENTICATE EXTERNAL\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd CAP * ACK :sasl\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd 908 * PLAIN :are available SASL mechanisms\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd 904 * :SASL authentication failed\r\n");
  amy.send("AUTHENTICATE PLAIN\r\nAUTHENTICATE *\r\n");
  EXPECT_EQ(amy.line(), "AUTHENTICATE +\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd 906 * :SASL authentication aborted\r\n");
  amy.send("AUTHENTICATE PLAIN\r\nAUTHENTICATE " + std::string(401, 'A') + "\r\n");
  EXPECT_EQ(amy.line(), "AUTHENTICATE +\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd 905 * :SASL message too long\r\n");
  // "\0amy\0open sesame"
  amy.send("AUTHENTICATE PLAIN\r\nAUTHENTICATE AGFteQBvcGVuIHNlc2FtZQ==\r\n");
  EXPECT_EQ(amy.line(), "AUTHENTICATE +\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd 900 * amy!amy@chatroomd amy :You are now logged in as amy\r\n");
  EXPECT_EQ(amy.line(), ":chatroomd 903 * :SASL authentication successful\r\n");
  EXPECT_TRUE(amy.stays_silent(300ms)) << "registration still waits for CAP END";
  amy.send("CAP END\r\n");
  EXPECT_NE(amy.line_with(" 001 amy "), "") << "no PASS needed";
  amy.send("AUTHENTICATE PLAIN\r\n");
  EXPECT_EQ(amy.line_with(" 907 "), ":chatroomd 907 amy :You have already authenticated using SASL\r\n");

  // A wrong password is a wrong PASS: answered, and closed after the delay.
  IrcClient guesser(server.irc_port());
  guesser.send("CAP LS 302\r\nCAP REQ :sasl\r\nNICK guesser\r\nUSER g 0 * :g\r\nAUTHENTICATE PLAIN\r\n");
  ASSERT_EQ(guesser.line_with("AUTHENTICATE"), "AUTHENTICATE +\r\n");
  guesser.send("AUTHENTICATE YW15AGFteQBndWVzcw==\r\n");  // "amy\0amy\0guess"
  EXPECT_EQ(guesser.line_with(" 904 "), ":chatroomd 904 * :SASL authentication failed\r\n");
  EXPECT_TRUE(guesser.closed_within(3s)) << "closed after the delay";
}

TEST(Irc, IrcOverTlsChatsWithAPlainIrcClient) {
  TempDir dir;
  const CertificateFiles& certificate = TestCertificates::get().server();
  IrcDaemon server({"--tls-cert", certificate.certificate, "--tls-key", certificate.key, "--tls-port", "0",
                    "--irc-tls-port", "0", "--irc-tls-port-file", dir.file("irc-tls-port")});
  std::ifstream port_file(dir.file("irc-tls-port"));
  int tls_port = 0;
  port_file >> tls_port;
  TlsTestClient secure(static_cast<std::uint16_t>(tls_port), TestCertificates::get().ca(), "127.0.0.1",
                       /*read_welcome=*/false);
  secure.send("NICK secure\r\nUSER s 0 * :s\r\n");
  EXPECT_EQ(secure.read_line(), ":chatroomd 001 secure :Welcome to the chatroom IRC network, secure!secure@chatroomd\r\n");
  IrcClient plain(server.irc_port());
  plain.register_as("plain");
  plain.send("PRIVMSG #lobby :over the clear wire\r\n");
  std::string line;
  while (line.find("PRIVMSG") == std::string::npos) {
    line = secure.read_line().value_or("(nothing)");
    if (line == "(nothing)") break;
  }
  EXPECT_EQ(line, ":plain!plain@chatroomd PRIVMSG #lobby :over the clear wire\r\n");
}

TEST(Irc, TheServerPingsSilentClientsAndCutsThoseThatNeverAnswer) {
  IrcDaemon server({"--irc-ping-interval", "0.3"});
  IrcClient silent(server.irc_port());
  silent.register_as("silent");
  IrcClient lively(server.irc_port());
  lively.register_as("lively");
  EXPECT_EQ(lively.line_with("PING", 3s), "PING :chatroomd\r\n");
  lively.send("PONG :chatroomd\r\n");
  EXPECT_EQ(silent.line_with("PING", 3s), "PING :chatroomd\r\n");
  EXPECT_EQ(silent.line(3s), "ERROR :ping timeout: no answer within 0.3 s\r\n");
  EXPECT_TRUE(silent.closed_within(3s));
  // The one that answered is still in: it is pinged again and can still chat.
  EXPECT_EQ(lively.line_with("PING", 3s), "PING :chatroomd\r\n");
  lively.send("PONG :chatroomd\r\nPING :alive\r\n");
  EXPECT_EQ(lively.line_with("PONG"), ":chatroomd PONG chatroomd :alive\r\n");
  server.daemon().write_console("\\stats\n");
  EXPECT_TRUE(server.daemon().wait_for_log("irc: closed for unanswered pings 1, for not registering 0", 5s))
      << server.daemon().log();
}

TEST(Irc, AClientThatDoesNotRegisterInTimeIsClosed) {
  IrcDaemon server({"--irc-registration-timeout", "0.3"});
  IrcClient idle(server.irc_port());
  idle.send("NICK idle\r\n");  // and never USER
  EXPECT_EQ(idle.line(3s), "ERROR :registration timed out: not registered within 0.3 s\r\n");
  EXPECT_TRUE(idle.closed_within(3s));
  IrcClient prompt(server.irc_port());
  prompt.register_as("prompt");
  EXPECT_TRUE(prompt.stays_silent(600ms)) << "a registered client is not timed out";
}

TEST(Irc, ShutdownTellsIrcClientsInTheirOwnWords) {
  IrcDaemon server;
  IrcClient alice(server.irc_port());
  alice.register_as("alice");
  server.daemon().write_console("\\close\n");
  EXPECT_EQ(alice.line_with("ERROR"), "ERROR :Server shutting down\r\n");
  EXPECT_TRUE(alice.closed_within(3s));
}

}  // namespace
}  // namespace chatroom::testing
