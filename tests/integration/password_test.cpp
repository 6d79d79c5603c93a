// A password-protected chatroomd: who gets in, what the others hear before, guessing, reload.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "support/client_process.hpp"
#include "support/daemon_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"
#include "support/test_client.hpp"
#include "support/tls_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kSecret = "correct horse battery staple";
constexpr const char* kNeedsPassword = "* this chat room needs a password: send \\pass PASSWORD\n";

class Password : public ::testing::Test {
 protected:
  Password() {
    // Surrounding whitespace and the newline are not part of the password.
    std::ofstream(password_file_) << "  " << kSecret << " \n\n";
  }

  std::vector<std::string> daemon_args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"--password-file", password_file_, "--rate-limit", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Connects and gives the password; the client is then in the chat.
  static std::unique_ptr<TestClient> signed_in(std::uint16_t port) {
    auto client = std::make_unique<TestClient>(port);
    EXPECT_EQ(client->read_line(), kNeedsPassword);
    client->send(std::string("\\pass ") + kSecret + "\n");
    EXPECT_EQ(client->read_line(), "* password accepted\n");
    return client;
  }

  TempDir dir_;
  std::string password_file_ = dir_.file("password");
};

TEST_F(Password, TheRightPasswordLetsAClientChat) {
  DaemonProcess daemon(daemon_args());
  auto alice = signed_in(daemon.port());
  auto bob = signed_in(daemon.port());
  alice->send("we are in\n");
  EXPECT_EQ(bob->read_line(), chat_line(*alice, "we are in"));
  bob->send("\\pass again\n");
  EXPECT_EQ(bob->read_line(), "* no password needed: you are in the chat already\n");
}

TEST_F(Password, WithoutThePasswordAClientMayOnlyAskForHelpOrLeaveAndHearsNothing) {
  DaemonProcess daemon(daemon_args());
  auto member = signed_in(daemon.port());
  TestClient outsider(daemon.port());
  EXPECT_EQ(outsider.read_line(), kNeedsPassword);
  outsider.send("let me in\n\\who\n\\join secret\n");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(outsider.read_line(), "! password required: send \\pass PASSWORD first\n");
  EXPECT_TRUE(member->stays_silent(300ms)) << "the outsider's lines reached the chat";
  member->send("private conversation\n");
  daemon.write_console("from the console\n");
  EXPECT_TRUE(outsider.stays_silent(500ms)) << "the outsider heard the chat";
  outsider.send("\\help\n");
  EXPECT_EQ(outsider.read_line(),
            "* commands before the password: \\pass PASSWORD, \\help, \\close (the rest once you are in)\n");
  outsider.send("\\close\n");
  EXPECT_TRUE(outsider.read_until_eof(3s));
}

TEST_F(Password, AWrongPasswordIsAnsweredThenClosedAfterTheDelay) {
  DaemonProcess daemon(daemon_args({"--password-delay", "1"}));
  TestClient guesser(daemon.port());
  EXPECT_EQ(guesser.read_line(), kNeedsPassword);
  const auto sent_at = Clock::now();
  guesser.send("\\pass hunter2\n");
  EXPECT_EQ(guesser.read_line(), "! wrong password\n");
  guesser.send("\\pass another try on the same connection\n");
  EXPECT_EQ(guesser.read_until_eof(5s), "");
  const auto waited = Clock::now() - sent_at;
  EXPECT_GT(waited, 800ms);
  EXPECT_LT(waited, 3s);
}

TEST_F(Password, AnAddressThatKeepsGuessingIsLockedOutEvenWithTheRightPassword) {
  DaemonProcess daemon(daemon_args({"--password-max-failures", "3", "--password-delay", "0.05", "--password-lockout",
                                    "60"}));
  int answered_wrong = 0;
  int refused = 0;
  for (int attempt = 0; attempt < 10; ++attempt) {  // a bounded brute-force loop
    TestClient guesser(daemon.port(), "127.0.0.1", false);
    const auto first = guesser.read_line();
    if (first == "! too many wrong passwords from your address: try again later\n") {
      ++refused;
      continue;
    }
    EXPECT_EQ(guesser.read_line(), kNeedsPassword);
    guesser.send("\\pass guess" + std::to_string(attempt) + "\n");
    if (guesser.read_line() == "! wrong password\n") ++answered_wrong;
    guesser.read_until_eof(3s);
  }
  EXPECT_EQ(answered_wrong, 3);
  EXPECT_EQ(refused, 7);
  TestClient rightful(daemon.port(), "127.0.0.1", false);
  EXPECT_EQ(rightful.read_line(), "! too many wrong passwords from your address: try again later\n");
  daemon.write_console("\\stats\n");
  EXPECT_TRUE(daemon.wait_for_log("passwords: accepted 0, wrong 3, refused while locked out 8", 3s)) << daemon.log();
}

TEST_F(Password, ThePasswordNeverReachesTheLogEvenAtTraceLevel) {
  DaemonProcess daemon(daemon_args({"--log-level", "trace"}));
  auto member = signed_in(daemon.port());
  TestClient guesser(daemon.port());
  guesser.send("\\pass not-the-password-xyzzy\n");
  EXPECT_EQ(guesser.read_line(), kNeedsPassword);
  EXPECT_EQ(guesser.read_line(), "! wrong password\n");
  daemon.send_signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log("server password reloaded", 3s)) << daemon.log();
  daemon.send_signal(SIGTERM);
  daemon.wait_for_exit(5s);
  EXPECT_EQ(daemon.log().find(kSecret), std::string::npos) << daemon.log();
  EXPECT_EQ(daemon.log().find("xyzzy"), std::string::npos) << daemon.log();
  EXPECT_NE(daemon.log().find("wrong password"), std::string::npos) << daemon.log();
}

TEST_F(Password, SighupReloadsThePasswordAndABrokenFileKeepsTheOldOne) {
  DaemonProcess daemon(daemon_args({"--password-delay", "0"}));
  std::ofstream(password_file_) << "the new one\n";
  daemon.send_signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log("server password reloaded", 3s)) << daemon.log();
  TestClient with_old(daemon.port());
  EXPECT_EQ(with_old.read_line(), kNeedsPassword);
  with_old.send(std::string("\\pass ") + kSecret + "\n");
  EXPECT_EQ(with_old.read_line(), "! wrong password\n");
  TestClient with_new(daemon.port());
  EXPECT_EQ(with_new.read_line(), kNeedsPassword);
  with_new.send("\\pass the new one\n");
  EXPECT_EQ(with_new.read_line(), "* password accepted\n");

  std::ofstream(password_file_) << "   \n";
  daemon.write_console("\\reload\n");
  ASSERT_TRUE(daemon.wait_for_log("server password not reloaded", 3s)) << daemon.log();
  TestClient still_new(daemon.port());
  EXPECT_EQ(still_new.read_line(), kNeedsPassword);
  still_new.send("\\pass the new one\n");
  EXPECT_EQ(still_new.read_line(), "* password accepted\n");
}

TEST_F(Password, OurClientAnswersFromItsPasswordFileOverTls) {
  const CertificateFiles& files = TestCertificates::get().server();
  DaemonProcess daemon(daemon_args({"--tls-only", "--tls-cert", files.certificate, "--tls-key", files.key,
                                    "--tls-port", "0"}));
  TlsTestClient member(daemon.port(), TestCertificates::get().ca());
  EXPECT_EQ(member.read_line(), kNeedsPassword);
  member.send(std::string("\\pass ") + kSecret + "\n");
  EXPECT_EQ(member.read_line(), "* password accepted\n");
  ClientProcess ours({"--tls", "--ca-file", TestCertificates::get().ca(), "--password-file", password_file_,
                      "127.0.0.1", std::to_string(daemon.port())});
  ASSERT_TRUE(ours.wait_for_output("password accepted", 10s)) << ours.output();
  ours.type("hello from the client\n");
  const std::string heard = member.read_line(5s).value_or("");
  EXPECT_NE(heard.find(">:\thello from the client\n"), std::string::npos) << heard;
}

TEST_F(Password, WithoutAPasswordTheServerAsksNothing) {
  DaemonProcess daemon({"--rate-limit", "0"});
  TestClient alice(daemon.port());
  TestClient bob(daemon.port());
  alice.send("no password here\n");
  EXPECT_EQ(bob.read_line(), chat_line(alice, "no password here"));
  alice.send("\\pass anything\n");
  EXPECT_EQ(alice.read_line(), "* no password needed: you are in the chat already\n");
}

}  // namespace
}  // namespace chatroom::testing
