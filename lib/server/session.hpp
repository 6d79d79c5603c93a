// What one client's lines mean: the protocol spoken on the entrance it came in by. The server
// frames lines, drops blank ones, enforces every limit and ends connections; a session greets
// its client, turns its lines into the chat hub's calls, and answers in its protocol.
#pragma once

#include <memory>
#include <string_view>

#include "chat/participant.hpp"
#include "net/socket_address.hpp"
#include "server/wording.hpp"

namespace chatroom {

class ChatHub;
class Connection;
class PasswordGate;
class Reactor;
class Room;
struct ServerLimits;

class Session {
 public:
  virtual ~Session() = default;
  // The client has been admitted: greet it, and bring it into the chat or hold it at the
  // password gate.
  virtual void start() = 0;
  // A line from the client that is not blank.
  virtual void on_line(std::string_view line) = 0;
  // Every line read so far has been handed to on_line (LineStreamEvents::on_input_framed).
  virtual void on_input_framed() {}
  // What the chat did to this client's member (Participant's hooks), for protocols that show
  // it themselves.
  virtual void on_entered(const Room& /*room*/) {}
  virtual void on_left(const Room& /*room*/, Participant::Leaving /*how*/, std::string_view /*why*/) {}
  virtual void on_renamed(std::string_view /*old_name*/) {}
  virtual void on_nickname_refused(std::string_view /*name*/) {}
  [[nodiscard]] virtual std::string_view away_message() const { return {}; }
  [[nodiscard]] virtual bool hears_away_changes() const { return false; }
};

// What a session may use of the server it runs in.
class SessionContext {
 public:
  [[nodiscard]] virtual ChatHub& hub() = 0;
  [[nodiscard]] virtual Reactor& reactor() = 0;
  [[nodiscard]] virtual const ServerLimits& limits() const = 0;
  // Null unless the server asks for a password.
  [[nodiscard]] virtual PasswordGate* password_gate() = 0;
  // Flood control, for every line a client sends but the one that says it leaves: false
  // when the line must be dropped (the client has been warned, or cut off).
  [[nodiscard]] virtual bool admit_under_rate_limit(Connection& connection) = 0;
  // A wrong password was sent (logged, throttled).
  virtual void note_wrong_password(const Connection& connection) = 0;
  // The address the client connected to, as its socket says (the first listener's if not).
  [[nodiscard]] virtual std::string server_address_seen_by(const Connection& connection) const = 0;

 protected:
  ~SessionContext() = default;
};

// A protocol a server entrance speaks: its words, and a session for each client.
class ClientProtocol {
 public:
  virtual ~ClientProtocol() = default;
  [[nodiscard]] virtual const Wording& wording() const = 0;
  // `connection` and `context` outlive the session.
  [[nodiscard]] virtual std::unique_ptr<Session> open_session(Connection& connection, SessionContext& context) = 0;
};

}  // namespace chatroom
