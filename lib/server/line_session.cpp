// A line-protocol client's session.
#include "server/line_session.hpp"

#include "chat/chat_hub.hpp"
#include "protocol/line_kind.hpp"
#include "protocol/wire_format.hpp"
#include "server/connection.hpp"
#include "server/password_gate.hpp"

namespace chatroom {
namespace {

class LineSession final : public Session {
 public:
  LineSession(Connection& connection, SessionContext& context) : connection_(connection), context_(context) {}

  void start() override {
    connection_.deliver(SharedBytes::copy_of(welcome_line(context_.server_address_seen_by(connection_))));
    if (PasswordGate* gate = context_.password_gate()) {
      gate->hold(connection_);
    } else {
      context_.hub().connect(connection_);
    }
  }

  void on_line(std::string_view line) override {
    if (classify_line(line) == LineKind::Close) {  // never rate limited: a flooder may always leave
      context_.hub().say_held_chat();
      connection_.close(CloseReason::ClientLeft);
      return;
    }
    // Commands count against the rate too: \who in a big room costs more than a line of chat.
    // A line dropped here changes nothing the room hears, so held chat may stay held.
    if (!context_.admit_under_rate_limit(connection_)) return;
    PasswordGate* gate = context_.password_gate();
    if (gate != nullptr && gate->holds(connection_)) {
      pass_the_gate(*gate, line);
      return;
    }
    ChatHub& hub = context_.hub();
    if (hub.is_plain_chat(connection_, line)) {
      hub.hold_chat(connection_, line);
      return;
    }
    hub.say_held_chat();
    if (hub.on_line(connection_, line) == ChatHub::Outcome::Leave) connection_.close(CloseReason::ClientLeft);
  }

  // The chat lines of one read go to the room together: a client that sends many at once
  // (a paste, a bot, a load generator) costs the fan-out one queued chunk per member for all
  // of them, not one per line.
  void on_input_framed() override { context_.hub().say_held_chat(); }

 private:
  void pass_the_gate(PasswordGate& gate, std::string_view line) {
    switch (gate.on_line(connection_, line, std::string(host_part(connection_.name())))) {
      case PasswordGate::Verdict::KeepWaiting:
        return;
      case PasswordGate::Verdict::Rejected:
        context_.note_wrong_password(connection_);
        return;
      case PasswordGate::Verdict::Admitted:
        context_.hub().connect(connection_);
        return;
      case PasswordGate::Verdict::Leave:
        connection_.close(CloseReason::ClientLeft);
        return;
    }
  }

  Connection& connection_;
  SessionContext& context_;
};

}  // namespace

SharedBytes LineWording::error(const Participant& /*client*/, std::string_view text) const { return error_line(text); }

SharedBytes LineWording::last_words(std::string_view text) const { return error_line(text); }

SharedBytes LineWording::shutting_down() const {
  // Exactly these bytes, with no newline: what the original client matches.
  return SharedBytes::copy_of(kCloseCommand);
}

const LineWording& line_wording() {
  static const LineWording wording;
  return wording;
}

std::unique_ptr<Session> LineProtocol::open_session(Connection& connection, SessionContext& context) {
  return std::make_unique<LineSession>(connection, context);
}

}  // namespace chatroom
