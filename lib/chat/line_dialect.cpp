// The line protocol's spelling of events, with wire_format's encoders.
#include "chat/line_dialect.hpp"

#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

SharedBytes live_line(const ChatEvent& event, std::string& scratch) {
  switch (event.kind) {
    case ChatEvent::Kind::Said:
      return encode_chat_line(event.sender, event.text, scratch);
    case ChatEvent::Kind::Acted:
      return encode_action_line(event.sender, event.text, scratch);
    case ChatEvent::Kind::ServerSaid:
      return encode_chat_line(kServerSenderName, event.text, scratch);
    case ChatEvent::Kind::Joined:
      scratch.assign(event.sender).append(" joined");
      return notice_line(scratch);
    case ChatEvent::Kind::Left:
    case ChatEvent::Kind::Quit:
      scratch.assign(event.sender).append(" left");
      if (!event.text.empty()) scratch.append(" (").append(event.text).append(")");
      return notice_line(scratch);
    case ChatEvent::Kind::Renamed:
      scratch.assign(event.sender).append(" is now known as ").append(event.text);
      return notice_line(scratch);
    case ChatEvent::Kind::Kicked:
      scratch.assign(event.subject).append(" was put out of ").append(event.target).append(" by ").append(event.sender);
      if (!event.text.empty()) scratch.append(" (").append(event.text).append(")");
      return notice_line(scratch);
    case ChatEvent::Kind::OperatorGiven:
    case ChatEvent::Kind::OperatorTaken:
      scratch.assign(event.subject)
          .append(event.kind == ChatEvent::Kind::OperatorGiven ? " is an operator of " : " is no operator of ")
          .append(event.target)
          .append(" now (by ")
          .append(event.sender)
          .append(")");
      return notice_line(scratch);
    case ChatEvent::Kind::TopicSet:
      scratch.assign(event.sender);
      if (event.text.empty()) {
        scratch.append(" cleared the topic");
      } else {
        scratch.append(" set the topic: ").append(event.text);
      }
      return notice_line(scratch);
    case ChatEvent::Kind::AwayChanged:
      scratch.assign(event.sender);
      if (event.text.empty()) {
        scratch.append(" is back");
      } else {
        scratch.append(" is away: ").append(event.text);
      }
      return notice_line(scratch);
    case ChatEvent::Kind::Private:
      return encode_private_line(event.sender, event.text, scratch);
    case ChatEvent::Kind::Invited:
      scratch.assign(event.sender).append(" invites you to ").append(event.subject).append(": \\join ").append(event.subject);
      return notice_line(scratch);
    case ChatEvent::Kind::PrivateEcho:
      return encode_private_echo(event.target, event.text, scratch);
    case ChatEvent::Kind::Notice:
    case ChatEvent::Kind::Confirmation:
      return notice_line(event.text);
    case ChatEvent::Kind::Error:
      return error_line(event.text);
  }
  return {};
}

}  // namespace

SharedBytes LineDialect::spell(const ChatEvent& event, std::string& scratch) const {
  SharedBytes live = live_line(event, scratch);
  if (!event.replayed || live.empty()) return live;
  return history_line(event.sent_at, live.view());
}

const LineDialect& line_dialect() {
  static const LineDialect dialect;
  return dialect;
}

}  // namespace chatroom
