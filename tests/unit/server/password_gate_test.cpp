// The password gate over a real socketpair and a manual clock: what a client hears before the
// password, the right and the wrong one, the delayed close, and the lockout of a guesser.
#include "server/password_gate.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "server/line_session.hpp"
#include "support/socket_pair.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

struct RecordingEvents final : ConnectionEvents {
  std::optional<CloseReason> closed;
  void on_line(Connection&, std::string_view) override {}
  void on_line_too_long(Connection&) override {}
  void on_flush_needed(Connection&) override {}
  void on_read_budget_exhausted(Connection&) override {}
  void on_closed(Connection&, CloseReason reason, std::string_view) override { closed = reason; }
};

class PasswordGateTest : public ::testing::Test {
 protected:
  PasswordGateTest() : gate_(reactor_, password_, limits()) {
    testing::SocketPair sockets = testing::make_socket_pair();
    peer_ = std::move(sockets.peer);
    connection_ = std::make_unique<Connection>(1, std::make_unique<PlainTransport>(std::move(sockets.ours)),
                                               "10.0.0.1:4000", reactor_, events_, server_limits_, scratch_, line_wording());
    gate_.hold(*connection_);
  }

  static LoginLimits limits() {
    LoginLimits limits;
    limits.max_failures = 2;
    limits.failure_delay = 1s;
    return limits;
  }

  // What the client was sent so far (the connection's queue written out).
  std::string client_heard() {
    connection_->flush();
    return testing::read_available(peer_.get());
  }

  ManualClock clock_;
  Reactor reactor_{clock_};
  ServerPassword password_{"open sesame"};
  ServerLimits server_limits_;
  ScratchBuffers scratch_{4096};
  RecordingEvents events_;
  PasswordGate gate_;
  UniqueFd peer_;
  std::unique_ptr<Connection> connection_;
};

TEST_F(PasswordGateTest, AHeldClientIsAskedForThePasswordAndMayOnlyPassAskForHelpOrLeave) {
  EXPECT_TRUE(gate_.holds(*connection_));
  EXPECT_EQ(client_heard(), "* this chat room needs a password: send \\pass PASSWORD\n");
  EXPECT_EQ(gate_.on_line(*connection_, "hello everyone", "10.0.0.1"), PasswordGate::Verdict::KeepWaiting);
  EXPECT_EQ(client_heard(), "! password required: send \\pass PASSWORD first\n");
  EXPECT_EQ(gate_.on_line(*connection_, "\\help", "10.0.0.1"), PasswordGate::Verdict::KeepWaiting);
  EXPECT_NE(client_heard().find("\\pass PASSWORD, \\help, \\close"), std::string::npos);
  EXPECT_EQ(gate_.on_line(*connection_, "\\close", "10.0.0.1"), PasswordGate::Verdict::Leave);
}

TEST_F(PasswordGateTest, TheRightPasswordAdmitsAndIsCounted) {
  client_heard();
  EXPECT_EQ(gate_.on_line(*connection_, "\\pass open sesame", "10.0.0.1"), PasswordGate::Verdict::Admitted);
  EXPECT_EQ(client_heard(), "* password accepted\n");
  EXPECT_FALSE(gate_.holds(*connection_));
  EXPECT_EQ(gate_.counters().accepted, 1U);
}

TEST_F(PasswordGateTest, AWrongPasswordIsAnsweredAndTheConnectionClosedOnlyAfterTheDelay) {
  client_heard();
  EXPECT_EQ(gate_.on_line(*connection_, "\\pass open says me", "10.0.0.1"), PasswordGate::Verdict::Rejected);
  EXPECT_EQ(client_heard(), "! wrong password\n");
  EXPECT_EQ(gate_.on_line(*connection_, "\\pass open sesame", "10.0.0.1"), PasswordGate::Verdict::KeepWaiting)
      << "a rejected client gets no second try on the same connection";
  clock_.advance(900ms);
  reactor_.run_once(0ms);
  EXPECT_FALSE(events_.closed.has_value()) << "closed before the delay";
  clock_.advance(200ms);
  reactor_.run_once(0ms);
  EXPECT_EQ(events_.closed, CloseReason::WrongPassword);
  EXPECT_EQ(gate_.counters().wrong, 1U);
}

TEST_F(PasswordGateTest, AnAddressThatKeepsGuessingIsLockedOutAndItsRefusalsCounted) {
  EXPECT_TRUE(gate_.admits_host("10.0.0.1"));
  gate_.on_line(*connection_, "\\pass one", "10.0.0.1");
  gate_.forget(*connection_);  // it closed
  connection_->close(CloseReason::WrongPassword);
  testing::SocketPair again = testing::make_socket_pair();
  Connection second(2, std::make_unique<PlainTransport>(std::move(again.ours)), "10.0.0.1:4001", reactor_, events_,
                    server_limits_, scratch_, line_wording());
  gate_.hold(second);
  gate_.on_line(second, "\\pass two", "10.0.0.1");
  EXPECT_FALSE(gate_.admits_host("10.0.0.1")) << "two failures: locked out";
  EXPECT_TRUE(gate_.admits_host("10.0.0.2")) << "another address is not";
  EXPECT_EQ(gate_.counters().refused_locked_out, 1U);
  gate_.forget(second);
}

TEST_F(PasswordGateTest, AConnectionThatClosesWhileRejectedIsForgottenAndItsTimerWithIt) {
  gate_.on_line(*connection_, "\\pass nope", "10.0.0.1");
  gate_.forget(*connection_);
  connection_.reset();
  clock_.advance(2s);
  reactor_.run_once(0ms);  // the timer would touch the destroyed connection
  EXPECT_FALSE(events_.closed.has_value());
}

}  // namespace
}  // namespace chatroom
