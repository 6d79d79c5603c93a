// Spelling events as IRC messages.
#include "irc/irc_dialect.hpp"

#include <cstdio>
#include <ctime>

#include "protocol/irc_message.hpp"
#include "protocol/text_sanitizer.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kCrlf = "\r\n";

bool is_nick_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '[' || c == ']' || c == '\\' || c == '`' || c == '^' || c == '{' || c == '}' || c == '|';
}

void append_clock_prefix(std::string& out, WallTime at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char stamp[16];
  std::snprintf(stamp, sizeof(stamp), "[%02d:%02d:%02d] ", utc.tm_hour, utc.tm_min, utc.tm_sec);
  out.append(stamp);
}

class Speller {
 public:
  Speller(const IrcDialect& dialect, const ChatEvent& event, std::string& out)
      : dialect_(dialect), event_(event), out_(out) {
    out_.clear();
  }

  // ":SOURCE COMMAND PARAMS" with the tag first when the client takes it.
  void start(std::string_view command, std::string_view source_name, bool from_server = false) {
    start_ = out_.size();
    if (dialect_.server_time()) append_irc_time_tag(out_, event_.sent_at);
    out_.push_back(':');
    if (from_server) {
      out_.append(dialect_.server_name());
    } else {
      append_irc_mask(out_, irc_nick_of(source_name), dialect_.server_name());
    }
    out_.push_back(' ');
    out_.append(command);
  }
  void param(std::string_view value) { out_.append(" ").append(value); }
  void end() { out_.append(kCrlf); }

  // ":SOURCE COMMAND TARGET :BEFORE TEXT AFTER", split into as many messages as it takes for
  // each to stay within IRC's 510 bytes. `source_name` empty: from the server.
  void text_messages(std::string_view command, std::string_view source_name, std::string_view target,
                     std::string_view before, std::string_view text, std::string_view after) {
    std::string clock;
    if (event_.replayed && !dialect_.server_time()) append_clock_prefix(clock, event_.sent_at);
    bool first = true;
    while (first || !text.empty()) {
      start(command, source_name, /*from_server=*/source_name.empty());
      param(target);
      const std::size_t header = out_.size() - start_ - tag_length();
      out_.append(" :").append(before);
      if (first) out_.append(clock);
      const std::size_t used = header + 2 + before.size() + (first ? clock.size() : 0) + after.size();
      const std::size_t room = used < kIrcMaxMessageBytes ? kIrcMaxMessageBytes - used : 1;
      const std::size_t take = utf8_prefix_length(text, room);
      out_.append(text.substr(0, take)).append(after);
      text.remove_prefix(take);
      end();
      first = false;
    }
  }

 private:
  [[nodiscard]] std::size_t tag_length() const {
    if (!dialect_.server_time()) return 0;
    return out_.find(' ', start_) + 1 - start_;
  }

  const IrcDialect& dialect_;
  const ChatEvent& event_;
  std::string& out_;
  std::size_t start_ = 0;
};

}  // namespace

IrcDialect::IrcDialect(std::size_t slot, std::string server_name, bool server_time)
    : Dialect(slot), server_name_(std::move(server_name)), server_time_(server_time) {}

SharedBytes IrcDialect::spell(const ChatEvent& event, std::string& scratch) const {
  Speller speller(*this, event, scratch);
  const std::string channel = irc_channel_of(event.target);
  switch (event.kind) {
    case ChatEvent::Kind::Said:
      speller.text_messages("PRIVMSG", event.sender, channel, {}, event.text, {});
      break;
    case ChatEvent::Kind::Acted:
      speller.text_messages("PRIVMSG", event.sender, channel, "\x01" "ACTION ", event.text, "\x01");
      break;
    case ChatEvent::Kind::ServerSaid:
      speller.text_messages("NOTICE", {}, channel, {}, event.text, {});
      break;
    case ChatEvent::Kind::Private:
      speller.text_messages("PRIVMSG", event.sender, irc_nick_of(event.target), {}, event.text, {});
      break;
    case ChatEvent::Kind::Invited:
      speller.start("INVITE", event.sender);
      speller.param(irc_nick_of(event.target));
      speller.param(irc_channel_of(event.subject));
      speller.end();
      break;
    case ChatEvent::Kind::Joined:
      speller.start("JOIN", event.sender);
      speller.param(channel);
      speller.end();
      break;
    case ChatEvent::Kind::Left:
      speller.start("PART", event.sender);
      speller.param(channel);
      if (!event.text.empty()) speller.param(std::string(":").append(event.text));
      speller.end();
      break;
    case ChatEvent::Kind::Quit:
      speller.start("QUIT", event.sender);
      speller.param(std::string(":").append(event.text.empty() ? std::string_view("Quit") : event.text));
      speller.end();
      break;
    case ChatEvent::Kind::Kicked:
      speller.start("KICK", event.sender);
      speller.param(channel);
      speller.param(irc_nick_of(event.subject));
      speller.param(std::string(":").append(event.text.empty() ? event.sender : event.text));
      speller.end();
      break;
    case ChatEvent::Kind::OperatorGiven:
    case ChatEvent::Kind::OperatorTaken:
      speller.start("MODE", event.sender);
      speller.param(channel);
      speller.param(event.kind == ChatEvent::Kind::OperatorGiven ? "+o" : "-o");
      speller.param(irc_nick_of(event.subject));
      speller.end();
      break;
    case ChatEvent::Kind::TopicSet:
      speller.text_messages("TOPIC", event.sender, channel, {}, event.text, {});
      break;
    case ChatEvent::Kind::AwayChanged:
      speller.start("AWAY", event.sender);
      if (!event.text.empty()) speller.param(std::string(":").append(event.text));
      speller.end();
      break;
    case ChatEvent::Kind::Renamed:
      speller.start("NICK", event.sender);
      speller.param(std::string(":").append(irc_nick_of(event.text)));
      speller.end();
      break;
    case ChatEvent::Kind::Notice:
    case ChatEvent::Kind::Error:
      speller.text_messages("NOTICE", {}, irc_nick_of(event.target), {}, event.text, {});
      break;
    case ChatEvent::Kind::PrivateEcho:  // the sender's session answers it (echo-message)
    case ChatEvent::Kind::Confirmation:  // the session shows the change itself
      return {};
  }
  return SharedBytes::copy_of(scratch);
}

std::string irc_channel_of(std::string_view room) { return std::string("#").append(room); }

std::string irc_nick_of(std::string_view display_name) {
  std::string nick(display_name);
  for (char& c : nick) {
    if (!is_nick_character(c)) c = '-';
  }
  return nick;
}

void append_irc_mask(std::string& out, std::string_view name, std::string_view host) {
  out.append(name).append("!").append(name).append("@").append(host);
}

void append_irc_time_tag(std::string& out, WallTime at) {
  const auto since_epoch = at.time_since_epoch();
  const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  const auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char tag[96];  // room for any year the int fields can hold, as GCC reasons
  std::snprintf(tag, sizeof(tag), "@time=%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(milliseconds));
  out.append(tag);
}

}  // namespace chatroom
