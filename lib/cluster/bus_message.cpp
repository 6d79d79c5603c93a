// The bus's wire format: "CR1 KIND " then fields, each "LENGTH:BYTES;". Length prefixes let a
// field hold any byte (a chat line may contain ';' or ':'), and make a truncated or padded
// payload detectable.
#include "cluster/bus_message.hpp"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cstdio>

#include "chat/name_rules.hpp"

namespace chatroom {
namespace {

// What a leave reason or kick reason may be: the server writes them, short.
constexpr std::size_t kMaxReasonLength = 256;
// A member's shown name: a nickname, or "ip:port" (an IPv6 one is longer).
constexpr std::size_t kMaxShownNameLength = 64;
// Decimal digits in a 64-bit number.
constexpr std::size_t kMaxNumberLength = 20;
constexpr std::size_t kInstanceHexDigits = 16;

std::string_view kind_word(const BusBody& body) {
  struct Words {
    std::string_view operator()(const SaidMessage&) const { return "said"; }
    std::string_view operator()(const JoinedMessage&) const { return "joined"; }
    std::string_view operator()(const LeftMessage&) const { return "left"; }
    std::string_view operator()(const QuitMessage&) const { return "quit"; }
    std::string_view operator()(const RenamedMessage&) const { return "renamed"; }
    std::string_view operator()(const AwayMessage&) const { return "away"; }
    std::string_view operator()(const OperatorMessage&) const { return "operator"; }
    std::string_view operator()(const OperatorRequestMessage&) const { return "as-operator"; }
    std::string_view operator()(const PrivateMessage&) const { return "private"; }
    std::string_view operator()(const KickMessage&) const { return "kick"; }
    std::string_view operator()(const TopicMessage&) const { return "topic"; }
    std::string_view operator()(const ServerTextMessage&) const { return "server"; }
    std::string_view operator()(const HeartbeatMessage&) const { return "heartbeat"; }
    std::string_view operator()(const HelloMessage&) const { return "hello"; }
    std::string_view operator()(const RosterMessage&) const { return "roster"; }
    std::string_view operator()(const GoodbyeMessage&) const { return "goodbye"; }
  };
  return std::visit(Words{}, body);
}

class FieldWriter {
 public:
  explicit FieldWriter(std::string& out) : out_(out) {}
  void text(std::string_view value) {
    out_.append(std::to_string(value.size())).append(1, ':').append(value).append(1, ';');
  }
  void number(std::uint64_t value) { text(std::to_string(value)); }
  void flag(bool value) { text(value ? "1" : "0"); }
  void instance(std::uint64_t value) {
    char hex[kInstanceHexDigits + 1];
    std::snprintf(hex, sizeof(hex), "%016" PRIx64, value);
    text(std::string_view(hex, kInstanceHexDigits));
  }
  void member(const MemberEntry& entry) {
    number(entry.member);
    text(entry.name);
    flag(entry.nicknamed);
    text(entry.room);
    text(entry.away);
    flag(entry.room_operator);
  }

 private:
  std::string& out_;
};

std::uint64_t unix_ms(WallTime time) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

bool printable_ascii_without_space(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
}

bool valid_shown_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxShownNameLength && printable_ascii_without_space(name);
}

bool single_line(std::string_view text) { return text.find_first_of("\r\n") == std::string_view::npos; }

// Reads fields in order; any malformed one makes the whole payload invalid (ok() false).
class FieldReader {
 public:
  explicit FieldReader(std::string_view rest) : rest_(rest) {}

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] bool at_end() const { return rest_.empty(); }

  std::string_view raw() {
    if (!ok_) return {};
    const std::size_t colon = rest_.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > kMaxNumberLength) return fail();
    std::size_t length = 0;
    const auto [end, error] = std::from_chars(rest_.data(), rest_.data() + colon, length);
    if (error != std::errc() || end != rest_.data() + colon) return fail();
    if (rest_[0] == '0' && colon > 1) return fail();  // one spelling per length
    if (length > rest_.size() - colon - 1 || rest_.size() - colon - 1 - length < 1) return fail();
    const std::string_view value = rest_.substr(colon + 1, length);
    if (rest_[colon + 1 + length] != ';') return fail();
    rest_.remove_prefix(colon + 2 + length);
    return value;
  }
  std::string text(std::size_t max_length) {
    const std::string_view value = raw();
    if (value.size() > max_length || !single_line(value)) return fail_string();
    return std::string(value);
  }
  std::string room() {
    const std::string_view value = raw();
    if (!is_valid_name(value)) return fail_string();
    return std::string(value);
  }
  std::string shown_name() {
    const std::string_view value = raw();
    if (!valid_shown_name(value)) return fail_string();
    return std::string(value);
  }
  std::string shown_name_or_nothing() {
    const std::string_view value = raw();
    if (!value.empty() && !valid_shown_name(value)) return fail_string();
    return std::string(value);
  }
  std::uint64_t number() {
    const std::string_view value = raw();
    std::uint64_t number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() ||
        (value[0] == '0' && value.size() > 1)) {
      fail();
      return 0;
    }
    return number;
  }
  bool flag() {
    const std::string_view value = raw();
    if (value != "0" && value != "1") fail();
    return value == "1";
  }
  std::uint64_t instance() {
    const std::string_view value = raw();
    std::uint64_t number = 0;
    const bool lower_hex = std::all_of(value.begin(), value.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number, 16);
    if (value.size() != kInstanceHexDigits || !lower_hex || error != std::errc()) fail();
    return number;
  }
  MemberEntry member() {
    MemberEntry entry;
    entry.member = number();
    entry.name = shown_name();
    entry.nicknamed = flag();
    entry.room = room();
    entry.away = text(kMaxTopicBytes);
    entry.room_operator = flag();
    if (entry.nicknamed && !is_valid_name(entry.name)) fail();
    return entry;
  }

 private:
  std::string_view fail() {
    ok_ = false;
    return {};
  }
  std::string fail_string() {
    ok_ = false;
    return {};
  }

  std::string_view rest_;
  bool ok_ = true;
};

std::optional<BusBody> read_body(std::string_view kind, FieldReader& in) {
  if (kind == "said") {
    SaidMessage said;
    said.room = in.room();
    said.line.sender = in.shown_name();
    const std::string_view chat_kind = in.raw();
    if (chat_kind != "chat" && chat_kind != "action") return std::nullopt;
    said.line.kind = chat_kind == "action" ? ChatKind::Action : ChatKind::Chat;
    said.line.text = in.text(kMaxBusPayloadBytes);
    said.line.sent_at = WallTime(std::chrono::milliseconds(in.number()));
    return said;
  }
  if (kind == "joined") return JoinedMessage{in.member()};
  if (kind == "away") return AwayMessage{in.member()};
  if (kind == "as-operator") {
    OperatorRequestMessage request;
    request.room = in.room();
    request.by = in.shown_name();
    request.who = in.shown_name();
    const std::string_view action = in.raw();
    if (action == "kick") {
      request.action = OperatorAction::Kick;
    } else if (action == "give") {
      request.action = OperatorAction::Give;
    } else if (action == "take") {
      request.action = OperatorAction::Take;
    } else {
      return std::nullopt;
    }
    request.why = in.text(kMaxReasonLength);
    return request;
  }
  if (kind == "operator") {
    OperatorMessage change{in.member(), {}};
    change.by = in.shown_name();
    return change;
  }
  if (kind == "left") {
    LeftMessage left{in.member(), {}, {}};
    left.why = in.text(kMaxReasonLength);
    left.kicked_by = in.shown_name_or_nothing();
    return left;
  }
  if (kind == "quit") {
    QuitMessage quit{in.member(), {}};
    quit.why = in.text(kMaxReasonLength);
    return quit;
  }
  if (kind == "renamed") {
    RenamedMessage renamed{in.member(), {}};
    renamed.old_name = in.shown_name();
    return renamed;
  }
  if (kind == "private") {
    PrivateMessage message;
    message.to = in.shown_name();
    message.sender = in.shown_name();
    message.text = in.text(kMaxBusPayloadBytes);
    return message;
  }
  if (kind == "kick") {
    KickMessage kick;
    kick.who = in.shown_name();
    kick.reason = in.text(kMaxReasonLength);
    return kick;
  }
  if (kind == "topic") {
    TopicMessage message;
    message.room = in.room();
    message.topic.text = in.text(kMaxTopicBytes);
    message.topic.set_by = in.shown_name();
    message.topic.set_at = WallTime(std::chrono::milliseconds(in.number()));
    return message;
  }
  if (kind == "server") return ServerTextMessage{in.text(kMaxBusPayloadBytes)};
  if (kind == "heartbeat") {
    HeartbeatMessage heartbeat;
    heartbeat.clients = in.number();
    heartbeat.messages = in.number();
    heartbeat.deliveries = in.number();
    heartbeat.sent_at_ms = static_cast<std::int64_t>(in.number() & 0x7fffffffffffffffULL);
    return heartbeat;
  }
  if (kind == "hello") return HelloMessage{};
  if (kind == "roster") {
    RosterMessage roster;
    const std::uint64_t count = in.number();
    // Each entry takes at least 16 bytes, so a huge count in a short payload is a lie.
    if (count > kMaxBusPayloadBytes / 16) return std::nullopt;
    for (std::uint64_t i = 0; i < count && in.ok(); ++i) roster.members.push_back(in.member());
    return roster;
  }
  if (kind == "goodbye") return GoodbyeMessage{};
  return std::nullopt;
}

}  // namespace

bool is_valid_node_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxNodeNameLength &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view(".:_-[]@").find(c) != std::string_view::npos;
         });
}

std::string encode(const BusMessage& message) {
  std::string out(kBusFormatVersion);
  out.append(1, ' ').append(kind_word(message.body)).append(1, ' ');
  FieldWriter fields(out);
  fields.text(message.origin.node);
  fields.instance(message.origin.instance);
  struct Bodies {
    FieldWriter& out;
    void operator()(const SaidMessage& said) const {
      out.text(said.room);
      out.text(said.line.sender);
      out.text(said.line.kind == ChatKind::Action ? "action" : "chat");
      out.text(said.line.text);
      out.number(unix_ms(said.line.sent_at));
    }
    void operator()(const JoinedMessage& joined) const { out.member(joined.entry); }
    void operator()(const AwayMessage& away) const { out.member(away.entry); }
    void operator()(const OperatorRequestMessage& request) const {
      out.text(request.room);
      out.text(request.by);
      out.text(request.who);
      out.text(request.action == OperatorAction::Kick   ? "kick"
               : request.action == OperatorAction::Give ? "give"
                                                         : "take");
      out.text(request.why);
    }
    void operator()(const OperatorMessage& change) const {
      out.member(change.entry);
      out.text(change.by);
    }
    void operator()(const LeftMessage& left) const {
      out.member(left.entry);
      out.text(left.why);
      out.text(left.kicked_by);
    }
    void operator()(const QuitMessage& quit) const {
      out.member(quit.entry);
      out.text(quit.why);
    }
    void operator()(const RenamedMessage& renamed) const {
      out.member(renamed.entry);
      out.text(renamed.old_name);
    }
    void operator()(const PrivateMessage& message) const {
      out.text(message.to);
      out.text(message.sender);
      out.text(message.text);
    }
    void operator()(const KickMessage& kick) const {
      out.text(kick.who);
      out.text(kick.reason);
    }
    void operator()(const TopicMessage& message) const {
      out.text(message.room);
      out.text(message.topic.text);
      out.text(message.topic.set_by);
      out.number(unix_ms(message.topic.set_at));
    }
    void operator()(const ServerTextMessage& server) const { out.text(server.text); }
    void operator()(const HeartbeatMessage& heartbeat) const {
      out.number(heartbeat.clients);
      out.number(heartbeat.messages);
      out.number(heartbeat.deliveries);
      out.number(static_cast<std::uint64_t>(heartbeat.sent_at_ms));
    }
    void operator()(const HelloMessage&) const {}
    void operator()(const RosterMessage& roster) const {
      out.number(roster.members.size());
      for (const MemberEntry& entry : roster.members) out.member(entry);
    }
    void operator()(const GoodbyeMessage&) const {}
  };
  std::visit(Bodies{fields}, message.body);
  return out;
}

std::optional<BusMessage> decode(std::string_view payload) {
  if (payload.size() > kMaxBusPayloadBytes) return std::nullopt;
  if (payload.substr(0, kBusFormatVersion.size()) != kBusFormatVersion) return std::nullopt;
  payload.remove_prefix(kBusFormatVersion.size());
  if (payload.empty() || payload.front() != ' ') return std::nullopt;
  payload.remove_prefix(1);
  const std::size_t space = payload.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view kind = payload.substr(0, space);
  FieldReader in(payload.substr(space + 1));

  BusMessage message;
  const std::string_view node = in.raw();
  if (!is_valid_node_name(node)) return std::nullopt;
  message.origin.node = std::string(node);
  message.origin.instance = in.instance();
  std::optional<BusBody> body = read_body(kind, in);
  if (!body || !in.ok() || !in.at_end()) return std::nullopt;
  message.body = std::move(*body);
  return message;
}

}  // namespace chatroom
