// IRC (RFC 1459/2812) as a load: every client registers (NICK, USER) and, once welcomed (001),
// joins one channel; senders PRIVMSG it, receivers take the text of each PRIVMSG. A client is ready when the
// server ends the NAMES of its JOIN (366), so a sender is a member before it speaks, as a
// channel with mode +n (InspIRCd's default) requires. (chatroomd puts a new IRC client in
// #lobby first: that 366 is not the one.)
#include <string>

#include "loadgen/wire.hpp"

namespace chatroom::bench {
namespace {

constexpr std::string_view kChannel = "#bench";

// The next space-separated word of `rest`, removed from it.
std::string_view take_word(std::string_view& rest) {
  const std::size_t space = rest.find(' ');
  const std::string_view word = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  return word;
}

// Numerics that mean the load cannot go on: the server refused a nickname, the registration,
// the join or a message. 422 (no MOTD) is an answer, not a refusal.
bool is_refusal(std::string_view command) {
  if (command.size() != 3 || command == "422") return false;
  return command[0] == '4' || command[0] == '5';
}

class IrcWire final : public Wire {
 public:
  void append_connect(std::string& out, const Target&, std::string_view client_name) const override {
    out.append("NICK ").append(client_name).append("\r\n");
    out.append("USER ").append(client_name).append(" 0 * :chatroom-bench\r\n");
  }

  void append_after_registration(std::string& out) const override {
    out.append("JOIN ").append(kChannel).append("\r\n");
  }

  void append_subscribe(std::string&) const override {}

  void append_publish(std::string& out, std::string_view payload) const override {
    out.append("PRIVMSG ").append(kChannel).append(" :").append(payload).append("\r\n");
  }

  void append_pong(std::string& out, std::string_view payload) const override {
    out.append("PONG :").append(payload).append("\r\n");
  }

  std::size_t parse(std::string_view input, WireEvents& events) const override {
    std::size_t consumed = 0;
    for (;;) {
      const std::size_t end = input.find('\n', consumed);
      if (end == std::string_view::npos) return consumed;
      std::string_view line = input.substr(consumed, end - consumed);
      if (line.ends_with('\r')) line.remove_suffix(1);
      handle_line(line, events);
      consumed = end + 1;
    }
  }

  [[nodiscard]] bool sender_waits_for_ready() const override { return true; }

 private:
  static void handle_line(std::string_view line, WireEvents& events) {
    // Nearly every line of a run is ":SOURCE PRIVMSG #bench :TEXT": taken with one search for
    // the source's end, so the tool's own parsing costs little of the two cores it shares with
    // the server.
    constexpr std::string_view kChannelMessage = "PRIVMSG #bench :";
    if (line.starts_with(':')) {
      const std::size_t space = line.find(' ');
      if (space != std::string_view::npos && line.substr(space + 1, kChannelMessage.size()) == kChannelMessage) {
        events.on_payload(line.substr(space + 1 + kChannelMessage.size()));
        return;
      }
    }
    std::string_view rest = line;
    if (rest.starts_with('@')) take_word(rest);  // message tags (server-time and others)
    if (rest.starts_with(':')) take_word(rest);  // the source
    const std::string_view command = take_word(rest);
    if (command == "PRIVMSG") {
      const std::size_t text = rest.find(" :");
      if (text != std::string_view::npos) events.on_payload(rest.substr(text + 2));
    } else if (command == "PING") {
      events.on_ping(rest.starts_with(':') ? rest.substr(1) : rest);
    } else if (command == "001") {
      events.on_registered();
    } else if (command == "366") {
      take_word(rest);  // the client's nickname
      if (take_word(rest) == kChannel) events.on_ready();
    } else if (command == "ERROR" || is_refusal(command)) {
      events.on_protocol_error(line);
    }
  }
};

}  // namespace

std::unique_ptr<Wire> make_irc_wire() { return std::make_unique<IrcWire>(); }

}  // namespace chatroom::bench
