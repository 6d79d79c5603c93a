// Keeps clients of a password-protected server out of the chat until they send
// "\pass PASSWORD". Until then a client may only send \pass, \help and \close, and hears
// nothing of the chat. A wrong password is answered "! wrong password", and the connection is
// closed after a delay; addresses that keep guessing are locked out for a while (LoginThrottle).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "reactor/reactor.hpp"
#include "server/connection.hpp"
#include "server/login_throttle.hpp"
#include "server/server_password.hpp"

namespace chatroom {

struct PasswordCounters {
  std::uint64_t accepted = 0;
  std::uint64_t wrong = 0;
  std::uint64_t refused_locked_out = 0;  // connections refused while their address was locked out
};

class PasswordGate {
 public:
  // `password` must outlive the gate; reloading it changes what later attempts are checked against.
  PasswordGate(Reactor& reactor, const ServerPassword& password, LoginLimits limits);
  ~PasswordGate();
  PasswordGate(const PasswordGate&) = delete;
  PasswordGate& operator=(const PasswordGate&) = delete;

  // Whether a new connection from `host` may try at all; counts a refusal if not.
  bool admits_host(const std::string& host);
  // A new client: told what it must send, and held at the gate.
  void hold(Connection& connection);
  [[nodiscard]] bool holds(const Connection& connection) const {
    return !waiting_.empty() && waiting_.contains(connection.id());
  }

  enum class Verdict {
    KeepWaiting,
    Rejected,  // a wrong password: answered, and the connection closes after the delay
    Admitted,  // the password was right: the client may join the chat now
    Leave,     // it sent \close
  };
  // A client of a protocol that gives its password as part of coming in (IRC's PASS): Admitted,
  // or Rejected (counted, answered, and closed after the delay, like a wrong "\pass").
  Verdict check(Connection& connection, std::string_view password, const std::string& host);
  // A line from a client held at the gate (not a blank one).
  Verdict on_line(Connection& connection, std::string_view line, const std::string& host);
  // The connection closed: forget it (and any timer that would close it).
  void forget(const Connection& connection);

  [[nodiscard]] const PasswordCounters& counters() const { return counters_; }

 private:
  struct Waiting {
    Connection* connection;
    // Set once a wrong password was sent: the connection closes when it fires.
    std::optional<TimerId> closing_timer;
  };
  void reject(Waiting& waiting, const std::string& host);

  Reactor& reactor_;
  const ServerPassword& password_;
  LoginThrottle throttle_;
  std::unordered_map<std::uint64_t, Waiting> waiting_;
  PasswordCounters counters_;
};

}  // namespace chatroom
