// An IRC client's session: registration, then the commands that say or change something;
// those that only ask are IrcQueries', and the replies' wording IrcReplies'.
#include "irc/irc_session.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <optional>
#include <span>
#include <vector>

#include "chat/chat_hub.hpp"
#include "irc/irc_queries.hpp"
#include "irc/irc_replies.hpp"
#include "irc/irc_words.hpp"
#include "irc/sasl_plain.hpp"
#include "protocol/irc_message.hpp"
#include "protocol/text_sanitizer.hpp"
#include "reactor/reactor.hpp"
#include "server/password_gate.hpp"
#include "server/server_limits.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kCtcpAction = "\x01" "ACTION ";

class IrcSession final : public Session {
 public:
  IrcSession(Connection& connection, SessionContext& context, const IrcProtocol& protocol)
      : connection_(connection),
        context_(context),
        protocol_(protocol),
        hub_(context.hub()),
        replies_(connection, protocol.settings()),
        queries_(hub_, connection, replies_) {
    connection_.set_dialect(protocol_.dialect(false));
  }

  ~IrcSession() override {
    if (registration_timer_) context_.reactor().cancel_timer(*registration_timer_);
    if (ping_timer_) context_.reactor().cancel_timer(*ping_timer_);
  }

  void start() override {
    // A member from the start, in no room: its nickname is claimed before it comes in.
    hub_.admit(connection_);
    const auto timeout = protocol_.settings().registration_timeout;
    if (timeout.count() > 0) {
      registration_timer_ = context_.reactor().run_after(timeout, [this, timeout] {
        registration_timer_.reset();
        if (!registered_) connection_.cut_off(CloseReason::RegistrationTimeout, seconds_text(timeout));
      });
    }
  }

  void on_line(std::string_view line) override {
    const IrcParseResult parsed = parse_irc_message(line);
    if (!parsed.message) {
      refused(parsed.error);
      return;
    }
    const IrcMessage& message = *parsed.message;
    if (irc_command_is(message.command, "QUIT")) {  // never rate limited: a flooder may always leave
      quit(message);
      return;
    }
    if (!context_.admit_under_rate_limit(connection_)) return;
    if (!registered_) {
      before_registration(message);
    } else {
      registered_command(message);
    }
  }

  void on_entered(const Room& room) override {
    if (!registered_) return;
    send_from_self("JOIN", irc_channel_of(room.name()));
    if (!room.topic().text.empty()) send_topic(room);
    queries_.send_names(room);
  }

  // A kick is told to the room, its target included, as a KICK; a quit ends the connection.
  void on_left(const Room& room, Participant::Leaving how, std::string_view why) override {
    if (!registered_ || (how != Participant::Leaving::MovedOn && how != Participant::Leaving::Parted)) return;
    if (why.empty()) return send_from_self("PART", irc_channel_of(room.name()));
    send_from_self("PART", irc_channel_of(room.name()) + " :" + std::string(why));
  }

  void on_renamed(std::string_view old_name) override {
    if (!registered_) {
      try_to_register();
      return;
    }
    std::string line = ":";
    append_irc_mask(line, irc_nick_of(old_name), server_name());
    line.append(" NICK :").append(nick()).append("\r\n");
    send(line);
  }

  void on_nickname_refused(std::string_view name) override {
    numeric("433", std::string(name) + " :Nickname is already in use");
  }

  [[nodiscard]] std::string_view away_message() const override { return away_; }
  [[nodiscard]] bool hears_away_changes() const override { return away_notify_; }

 private:
  // Registration: CAP, PASS, NICK and USER in any order; done once NICK and USER are in and
  // capability negotiation, if started, has ended.
  void before_registration(const IrcMessage& message) {
    const std::string_view command = message.command;
    if (irc_command_is(command, "CAP")) {
      capability(message);
    } else if (irc_command_is(command, "AUTHENTICATE")) {
      authenticate(message);
    } else if (irc_command_is(command, "PASS")) {
      if (message.params.empty()) return need_more_params(command);
      password_ = std::string(message.params[0]);
    } else if (irc_command_is(command, "NICK")) {
      if (message.params.empty() || message.params[0].empty()) return numeric("431", ":No nickname given");
      wanted_nick_ = std::string(message.params[0]);
      if (password_checked_) claim_wanted_nick();
      try_to_register();
    } else if (irc_command_is(command, "USER")) {
      if (message.params.size() < 4) return need_more_params(command);
      got_user_ = true;
      try_to_register();
    } else if (irc_command_is(command, "PING")) {
      ping(message);
    } else if (irc_command_is(command, "PONG")) {
      // nothing to do: the line itself has reset the idle timer
    } else {
      numeric("451", ":You have not registered");
    }
  }

  void try_to_register() {
    if (registered_ || negotiating_ || wanted_nick_.empty() || !got_user_) return;
    if (!password_checked_) {
      if (PasswordGate* gate = context_.password_gate()) {
        const std::string host(host_part(connection_.name()));
        if (gate->check(connection_, password_.value_or(""), host) != PasswordGate::Verdict::Admitted) {
          numeric("464", ":Password incorrect");
          context_.note_wrong_password(connection_);
          return;
        }
      }
      password_checked_ = true;
      claim_wanted_nick();
      return;  // claim_wanted_nick registers through on_renamed when the name is granted
    }
    if (connection_.nickname().empty() || !same_name(connection_.nickname(), wanted_nick_)) return;
    register_now();
  }

  void claim_wanted_nick() {
    const std::string wanted = wanted_nick_;
    switch (hub_.claim_nickname(connection_, wanted)) {
      case ChatHub::NicknameClaim::Invalid:
      case ChatHub::NicknameClaim::Reserved:
        numeric("432", shown_param(wanted) + " :Erroneous nickname");
        return;
      case ChatHub::NicknameClaim::Taken:
        numeric("433", wanted + " :Nickname is already in use");
        return;
      case ChatHub::NicknameClaim::Unchanged:
        if (!registered_) try_to_register();
        return;
      case ChatHub::NicknameClaim::Renamed:  // on_renamed has registered it, or told it
      case ChatHub::NicknameClaim::Pending:  // on_renamed or on_nickname_refused follows
        return;
    }
  }

  void register_now() {
    registered_ = true;
    if (registration_timer_) context_.reactor().cancel_timer(*registration_timer_);
    registration_timer_.reset();
    watch_for_silence();
    const std::string mask = own_mask();
    numeric("001", ":Welcome to the " + protocol_.settings().network + " IRC network, " + mask);
    numeric("002", ":Your host is " + server_name() + ", running version " + protocol_.settings().version);
    numeric("003", ":This server was created " + created_text());
    numeric("004", server_name() + " " + protocol_.settings().version + " i bklmnt");
    numeric("005", "CASEMAPPING=ascii CHANTYPES=# CHANLIMIT=#:" + std::to_string(hub_.max_rooms_per_member()) +
                       " PREFIX=(o)@ CHANMODES=b,k,l,nt NICKLEN=" +
                       std::to_string(kIrcNicknameLength) + " CHANNELLEN=" + std::to_string(kIrcChannelLength) +
                       " TOPICLEN=" + std::to_string(kIrcTopicLength) + " NETWORK=" + protocol_.settings().network +
                       " :are supported by this server");
    queries_.send_lusers();
    numeric("422", ":MOTD File is missing");
    hub_.enter_lobby(connection_);
  }

  void registered_command(const IrcMessage& message) {
    const std::string_view command = message.command;
    if (irc_command_is(command, "PRIVMSG")) {
      say(message, /*notice=*/false);
    } else if (irc_command_is(command, "NOTICE")) {
      say(message, /*notice=*/true);
    } else if (irc_command_is(command, "JOIN")) {
      join(message);
    } else if (irc_command_is(command, "PART")) {
      part(message);
    } else if (irc_command_is(command, "NICK")) {
      if (message.params.empty() || message.params[0].empty()) return numeric("431", ":No nickname given");
      wanted_nick_ = std::string(message.params[0]);
      claim_wanted_nick();
    } else if (irc_command_is(command, "PING")) {
      ping(message);
    } else if (irc_command_is(command, "PONG")) {
      // the line itself has reset the idle timer
    } else if (irc_command_is(command, "KICK")) {
      kick(message);
    } else if (irc_command_is(command, "AWAY")) {
      away(message);
    } else if (irc_command_is(command, "TOPIC")) {
      topic(message);
    } else if (irc_command_is(command, "INVITE")) {
      invite(message);
    } else if (irc_command_is(command, "MODE")) {
      mode(message);
    } else if (irc_command_is(command, "MOTD")) {
      numeric("422", ":MOTD File is missing");
    } else if (irc_command_is(command, "CAP")) {
      capability(message);
    } else if (irc_command_is(command, "AUTHENTICATE")) {
      numeric(sasl_done_ ? "907" : "462", sasl_done_ ? ":You have already authenticated using SASL" : ":You may not reregister");
    } else if (irc_command_is(command, "USER") || irc_command_is(command, "PASS")) {
      numeric("462", ":You may not reregister");
    } else if (!queries_.answer(message)) {
      numeric("421", std::string(message.command) + " :Unknown command");
    }
  }

  void capability(const IrcMessage& message) {
    if (message.params.empty()) return need_more_params("CAP");
    const std::string_view subcommand = message.params[0];
    if (irc_command_is(subcommand, "LS")) {
      if (!registered_) negotiating_ = true;
      // Values, such as sasl's mechanisms, only to clients of version 302 (IRCv3 CAP LS).
      int version = 0;
      if (message.params.size() > 1) {
        const std::string_view asked = message.params[1];
        std::from_chars(asked.data(), asked.data() + asked.size(), version);
      }
      const bool with_values = version >= 302;
      std::string offered;
      for (const Capability& capability : capabilities()) {
        offered.append(offered.empty() ? "" : " ").append(capability.name);
        if (with_values && !capability.value.empty()) offered.append("=").append(capability.value);
      }
      send(":" + server_name() + " CAP " + target() + " LS :" + offered + "\r\n");
    } else if (irc_command_is(subcommand, "REQ")) {
      if (!registered_) negotiating_ = true;
      request_capabilities(message.params.size() > 1 ? message.params[1] : std::string_view());
    } else if (irc_command_is(subcommand, "LIST")) {
      std::string enabled;
      for (const Capability& capability : capabilities()) {
        if (*capability.on) enabled.append(enabled.empty() ? "" : " ").append(capability.name);
      }
      send(":" + server_name() + " CAP " + target() + " LIST :" + enabled + "\r\n");
    } else if (irc_command_is(subcommand, "END")) {
      negotiating_ = false;
      try_to_register();
    } else {
      numeric("410", std::string(subcommand) + " :Invalid CAP command");
    }
  }

  // The capabilities offered (IRCv3), each with the flag that says it is on; what the session
  // does with each is in docs/protocol.md.
  struct Capability {
    std::string_view name;
    bool* on;
    std::string_view value = {};
  };
  [[nodiscard]] std::vector<Capability> capabilities() {
    std::vector<Capability> offered{Capability{"away-notify", &away_notify_}, Capability{"echo-message", &echo_message_},
                                    Capability{"message-tags", &message_tags_},
                                    Capability{"multi-prefix", &multi_prefix_}};
    // SASL logs in with the server password, so it is offered only where there is one.
    if (context_.password_gate() != nullptr) offered.push_back(Capability{"sasl", &sasl_, "PLAIN"});
    offered.push_back(Capability{"server-time", &server_time_});
    return offered;
  }

  // IRCv3 SASL, PLAIN only: the password is the server's, and the name given is shown as the
  // account. It stands for PASS, so a wrong one is answered and closed as a wrong PASS is.
  void authenticate(const IrcMessage& message) {
    if (message.params.empty() || message.params[0].empty()) return need_more_params("AUTHENTICATE");
    if (sasl_done_) return numeric("907", ":You have already authenticated using SASL");
    if (!sasl_) return numeric("904", ":SASL authentication failed");  // never asked for
    const std::string_view parameter = message.params[0];
    if (parameter == "*") {
      sasl_exchange_.reset();
      return numeric("906", ":SASL authentication aborted");
    }
    if (!sasl_exchange_) {
      if (!irc_command_is(parameter, "PLAIN")) {
        numeric("908", "PLAIN :are available SASL mechanisms");
        return numeric("904", ":SASL authentication failed");
      }
      sasl_exchange_.emplace();
      return send("AUTHENTICATE +\r\n");
    }
    const SaslPlainExchange::Step step = sasl_exchange_->take(parameter);
    if (step == SaslPlainExchange::Step::NeedMore) return;
    const SaslCredentials credentials = sasl_exchange_->credentials();
    sasl_exchange_.reset();
    if (step == SaslPlainExchange::Step::TooLong) return numeric("905", ":SASL message too long");
    PasswordGate* gate = context_.password_gate();
    const std::string host(host_part(connection_.name()));
    if (step == SaslPlainExchange::Step::Malformed || gate == nullptr ||
        gate->check(connection_, credentials.password, host) != PasswordGate::Verdict::Admitted) {
      if (step == SaslPlainExchange::Step::Complete) context_.note_wrong_password(connection_);
      return numeric("904", ":SASL authentication failed");
    }
    sasl_done_ = true;
    password_checked_ = true;
    const std::string account = shown_param(credentials.authcid);
    const std::string mask = wanted_nick_.empty() ? std::string("*") : shown_param(wanted_nick_) + "!" +
                                                                           shown_param(wanted_nick_) + "@" + server_name();
    numeric("900", mask + " " + account + " :You are now logged in as " + account);
    numeric("903", ":SASL authentication successful");
    if (!wanted_nick_.empty()) claim_wanted_nick();
  }

  // All or nothing, as IRCv3 says: ACK if every one is known, else NAK and change nothing.
  void request_capabilities(std::string_view requested) {
    std::vector<std::pair<bool*, bool>> changes;
    bool known = true;
    for (std::string_view rest = requested; known && !rest.empty();) {
      const std::size_t space = rest.find(' ');
      std::string_view name = rest.substr(0, space);
      rest.remove_prefix(space == std::string_view::npos ? rest.size() : space + 1);
      if (name.empty()) continue;
      const bool on = name.front() != '-';
      if (!on) name.remove_prefix(1);
      const auto all = capabilities();
      const auto found = std::find_if(all.begin(), all.end(), [&](const Capability& each) { return each.name == name; });
      known = found != all.end();
      if (known) changes.emplace_back(found->on, on);
    }
    if (known) {
      for (const auto& [flag, on] : changes) *flag = on;
      connection_.set_dialect(protocol_.dialect(server_time_));
    }
    send(":" + server_name() + " CAP " + target() + (known ? " ACK :" : " NAK :") + std::string(requested) + "\r\n");
  }

  void say(const IrcMessage& message, bool notice) {
    // NOTICE never gets an automatic reply (RFC 2812 3.3.2), errors included.
    if (message.params.empty()) return notice ? void() : numeric("411", ":No recipient given (PRIVMSG)");
    if (message.params.size() < 2 || message.params[1].empty()) return notice ? void() : numeric("412", ":No text to send");
    std::string_view text = message.params[1];
    ChatKind kind = ChatKind::Chat;
    if (text.starts_with(kCtcpAction)) {
      text.remove_prefix(kCtcpAction.size());
      if (!text.empty() && text.back() == '\x01') text.remove_suffix(1);
      kind = ChatKind::Action;
    } else if (text.front() == '\x01') {
      return;  // other CTCP (VERSION, PING, ...): nobody here answers them
    }
    for (const std::string_view target : split_list(message.params[0], ',')) {
      if (target.front() == '#') {
        say_in_channel(target, kind, text, notice);
      } else {
        say_to(target, kind, text, notice);
      }
    }
  }

  // The client's channel of that name; nullptr if it is not on it.
  Room* joined(std::string_view channel) const {
    const std::string_view room = room_of(channel);
    return room.empty() ? nullptr : hub_.room_of(connection_, room);
  }

  void say_in_channel(std::string_view channel, ChatKind kind, std::string_view text, bool notice) {
    Room* room = joined(channel);
    if (room == nullptr) {
      if (!notice) numeric(room_of(channel).empty() ? "403" : "404", std::string(channel) + " :Cannot send to channel");
      return;
    }
    hub_.say(connection_, *room, kind, text);
    if (echo_message_) echo(ChatEvent::said(kind, room->name(), connection_.display_name(), text, now()));
  }

  void say_to(std::string_view nickname, ChatKind kind, std::string_view text, bool notice) {
    Participant* recipient = hub_.find(nickname);
    if (recipient == nullptr && !hub_.has_peers()) {
      if (!notice) numeric("401", std::string(nickname) + " :No such nick/channel");
      return;
    }
    // The line protocol has no private action: it goes as "* sender ACTION" text.
    const std::string said = kind == ChatKind::Action ? "* " + std::string(connection_.display_name()) + " " +
                                                            std::string(text)
                                                      : std::string(text);
    hub_.send_private(connection_, nickname, said);
    if (!notice) {
      const std::optional<ChatHub::NicknameHolder> holder = hub_.holder_of(nickname);
      if (holder && !holder->away.empty()) numeric("301", irc_nick_of(holder->name) + " :" + holder->away);
    }
    if (echo_message_) {
      // The echo names the recipient as the target of our own PRIVMSG.
      std::string line;
      if (server_time_) append_irc_time_tag(line, now());
      line.append(":").append(own_mask()).append(notice ? " NOTICE " : " PRIVMSG ").append(nickname).append(" :");
      if (kind == ChatKind::Action) line.append(kCtcpAction);
      append_sanitized(line, text);
      if (kind == ChatKind::Action) line.push_back('\x01');
      send(line.append("\r\n"));
    }
  }

  void join(const IrcMessage& message) {
    if (message.params.empty() || message.params[0].empty()) return need_more_params("JOIN");
    if (message.params[0] == "0") {  // leave every channel: here, back to the lobby alone
      const auto rooms = connection_.rooms();
      if (rooms.size() != 1 || !same_name(rooms.front()->name(), kLobby)) hub_.join(connection_, kLobby);
      return;
    }
    for (const std::string_view channel : split_list(message.params[0], ',')) {
      const std::string_view room = room_of(channel);
      switch (room.empty() ? ChatHub::JoinOutcome::Invalid : hub_.join_also(connection_, room)) {
        case ChatHub::JoinOutcome::Joined:
        case ChatHub::JoinOutcome::AlreadyThere:
          break;
        case ChatHub::JoinOutcome::Invalid:
          numeric("403", shown_param(channel) + " :No such channel");
          break;
        case ChatHub::JoinOutcome::TooMany:
          numeric("405", shown_param(channel) + " :You have joined too many channels");
          break;
      }
    }
  }

  void part(const IrcMessage& message) {
    if (message.params.empty() || message.params[0].empty()) return need_more_params("PART");
    const std::string_view why = message.params.size() > 1 ? message.params[1] : std::string_view();
    for (const std::string_view channel : split_list(message.params[0], ',')) {
      switch (hub_.part(connection_, room_of(channel), why)) {
        case ChatHub::PartOutcome::Parted:
          break;
        case ChatHub::PartOutcome::NotThere:
          numeric("442", shown_param(channel) + " :You're not on that channel");
          break;
        case ChatHub::PartOutcome::StaysInLobby:
          // Every member is in a room at least; the lobby is where one is when in no other.
          notice_to_self("you stay in #" + std::string(kLobby) + ": it is where members are when in no other channel");
          break;
      }
    }
  }

  void away(const IrcMessage& message) {
    const bool was_away = !away_.empty();
    away_ = message.params.empty() ? std::string() : sanitized_within(message.params[0], kIrcTopicLength);
    if (away_.empty()) {
      numeric("305", ":You are no longer marked as being away");
    } else {
      numeric("306", ":You have been marked as being away");
    }
    if (was_away || !away_.empty()) hub_.away_changed(connection_);
  }

  void topic(const IrcMessage& message) {
    if (message.params.empty()) return need_more_params("TOPIC");
    const std::string_view channel = message.params[0];
    Room* room = joined(channel);
    if (room == nullptr) return numeric("442", shown_param(channel) + " :You're not on that channel");
    if (message.params.size() > 1) {
      hub_.set_topic(connection_, *room, message.params[1]);  // the room, this client included, sees TOPIC
      return;
    }
    if (room->topic().text.empty()) return numeric("331", irc_channel_of(room->name()) + " :No topic is set");
    send_topic(*room);
  }

  void send_topic(const Room& room) {
    const std::string channel = irc_channel_of(room.name());
    numeric("332", channel + " :" + room.topic().text);
    numeric("333", channel + " " + irc_nick_of(room.topic().set_by) + " " +
                       std::to_string(seconds_since_epoch(room.topic().set_at)));
  }



  void kick(const IrcMessage& message) {
    if (message.params.size() < 2) return need_more_params("KICK");
    const std::string_view channel = message.params[0];
    Room* room = joined(channel);
    if (room == nullptr) return numeric("442", shown_param(channel) + " :You're not on that channel");
    const std::string_view why = message.params.size() > 2 ? message.params[2] : std::string_view();
    for (const std::string_view nickname : split_list(message.params[1], ',')) {
      switch (hub_.put_out(connection_, *room, nickname, why)) {
        case ChatHub::KickOutcome::Done:
          break;
        case ChatHub::KickOutcome::NotOperator:
          return numeric("482", std::string(channel) + " :You're not channel operator");
        case ChatHub::KickOutcome::InLobby:
          return numeric("482", std::string(channel) + " :Nobody can be put out of the lobby");
        case ChatHub::KickOutcome::NotInRoom:
          numeric("441", std::string(nickname) + " " + std::string(channel) + " :They aren't on that channel");
          break;
      }
    }
  }

  // RFC 2812 3.2.7: into the inviter's own channel; 341 to the inviter.
  void invite(const IrcMessage& message) {
    if (message.params.size() < 2) return need_more_params("INVITE");
    const std::string_view nickname = message.params[0];
    const std::string_view channel = message.params[1];
    const Room* room = joined(channel);
    if (room == nullptr) return numeric("442", shown_param(channel) + " :You're not on that channel");
    switch (hub_.invite(connection_, *room, nickname)) {
      case ChatHub::InviteOutcome::Done:
        return numeric("341", shown_param(nickname) + " " + irc_channel_of(room->name()));
      case ChatHub::InviteOutcome::NoSuchMember:
        return numeric("401", shown_param(nickname) + " :No such nick/channel");
      case ChatHub::InviteOutcome::AlreadyThere:
        return numeric("443", shown_param(nickname) + " " + irc_channel_of(room->name()) + " :is already on channel");
    }
  }






  // "+o bob", "-o bob", "+oo-o bob carol dave": each 'o' takes the next nickname, with the
  // sign before it. The room sees each change as a MODE from its operator.
  void change_operators(Room& room, std::string_view channel, std::string_view change,
                        std::span<const std::string_view> nicknames) {
    bool give = true;
    std::size_t next = 0;
    for (const char letter : change) {
      if (letter == '+' || letter == '-') {
        give = letter == '+';
        continue;
      }
      if (next == nicknames.size()) return need_more_params("MODE");
      const std::string_view nickname = nicknames[next++];
      switch (hub_.change_operator(connection_, room, nickname, give)) {
        case ChatHub::OperatorOutcome::Done:
        case ChatHub::OperatorOutcome::Unchanged:
          break;
        case ChatHub::OperatorOutcome::NotOperator:  // it took its own status away
          return numeric("482", std::string(channel) + " :You're not channel operator");
        case ChatHub::OperatorOutcome::NotInRoom:
          numeric("441", shown_param(nickname) + " " + std::string(channel) + " :They aren't on that channel");
          break;
      }
    }
  }

  void mode(const IrcMessage& message) {
    if (message.params.empty()) return need_more_params("MODE");
    const std::string_view target_name = message.params[0];
    if (target_name.starts_with('#')) {
      const std::string_view room = room_of(target_name);
      if (room.empty()) return numeric("403", std::string(target_name) + " :No such channel");
      if (message.params.size() == 1) {
        // +n only: anyone in a room may set its topic.
        numeric("324", std::string(target_name) + " +n");
        numeric("329", std::string(target_name) + " " + std::to_string(seconds_since_epoch(protocol_.started_at())));
        return;
      }
      const std::string_view change = message.params[1];
      if (change == "b" || change == "+b") return numeric("368", std::string(target_name) + " :End of channel ban list");
      // The modes of 004 and CHANMODES, and PREFIX's o.
      const std::size_t unknown = change.find_first_not_of("+-bklmnto");
      if (unknown != std::string_view::npos) {
        return numeric("472", std::string(1, change[unknown]) + " :is unknown mode char to me");
      }
      Room* here = hub_.room_of(connection_, room);
      if (here == nullptr || !here->is_operator(connection_)) {
        return numeric("482", std::string(target_name) + " :You're not channel operator");
      }
      if (change.find_first_not_of("+-o") == std::string_view::npos) {
        return change_operators(*here, target_name, change, std::span(message.params).subspan(2));
      }
      notice_to_self("the modes of " + std::string(target_name) +
                     " are fixed: +n, and its operators are its opener and whom they name with +o");
      return;
    }
    if (!same_name(target_name, nick())) return numeric("502", ":Cannot change mode for other users");
    if (message.params.size() == 1) return numeric("221", "+i");
    // Every member is invisible (+i) already, as clients often ask at once; nothing else is.
    const std::string_view change = message.params[1];
    if (change.find_first_not_of("+-i") != std::string_view::npos) return numeric("501", ":Unknown MODE flag");
    if (change.find("-i") != std::string_view::npos) return numeric("501", ":Unknown MODE flag");
    // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) about ":" + a temporary.
    std::string line = ":";
    line.append(own_mask()).append(" MODE ").append(nick()).append(" :+i\r\n");
    send(line);
  }



  void ping(const IrcMessage& message) {
    if (message.params.empty()) return numeric("409", ":No origin specified");
    send(":" + server_name() + " PONG " + server_name() + " :" + std::string(message.params.back()) + "\r\n");
  }

  void quit(const IrcMessage& message) {
    const std::string why = message.params.empty() ? std::string("Client Quit") : std::string(message.params[0]);
    std::string reason;
    append_sanitized(reason, why.substr(0, 200));
    // The reason goes to the room too, as the close's detail ("alice left (gone fishing)").
    connection_.close_with(CloseReason::ClientLeft, SharedBytes::copy_of("ERROR :Closing Link: " + reason + "\r\n"),
                           reason);
  }

  // Every ping interval: a client that sent nothing since the last look is sent a PING; one
  // that sent nothing since that PING either is cut off. Counting bytes costs a line nothing.
  void watch_for_silence() {
    const auto interval = protocol_.settings().ping_interval;
    if (interval.count() == 0) return;
    ping_timer_ = context_.reactor().run_after(interval, [this, interval] {
      ping_timer_.reset();
      const std::uint64_t received = connection_.bytes_received();
      if (received != received_at_last_look_) {
        received_at_last_look_ = received;
        ping_outstanding_ = false;
      } else if (ping_outstanding_) {
        connection_.cut_off(CloseReason::NoIrcPong, seconds_text(interval));
        return;
      } else {
        send("PING :" + server_name() + "\r\n");
        ping_outstanding_ = true;
      }
      watch_for_silence();
    });
  }

  static std::string seconds_text(std::chrono::milliseconds duration) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g s", static_cast<double>(duration.count()) / 1000.0);
    return text;
  }

  void refused(IrcParseError error) {
    switch (error) {
      case IrcParseError::Empty:
        return;
      case IrcParseError::TooLong:
      case IrcParseError::TagsTooLong:
        return numeric("417", ":Input line was too long");
      default:
        return numeric("421", "* :Unknown command");
    }
  }

  void need_more_params(std::string_view command) { replies_.need_more_params(command); }
  void numeric(std::string_view code, const std::string& rest) { replies_.numeric(code, rest); }
  void notice_to_self(const std::string& text) { replies_.notice(text); }

  void send_from_self(std::string_view command, const std::string& channel) {
    std::string line;
    if (server_time_) append_irc_time_tag(line, now());
    line.append(":").append(own_mask()).append(" ").append(command).append(" ").append(channel).append("\r\n");
    send(line);
  }

  void echo(const ChatEvent& event) { connection_.tell(event, scratch_); }

  void send(const std::string& line) { replies_.send(line); }

  [[nodiscard]] std::string nick() const { return replies_.nick(); }
  [[nodiscard]] std::string target() const { return replies_.target(); }
  [[nodiscard]] std::string own_mask() const { return replies_.own_mask(); }
  [[nodiscard]] const std::string& server_name() const { return replies_.server_name(); }
  [[nodiscard]] std::string created_text() const {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(protocol_.started_at());
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[64];
    std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &utc);
    return text;
  }
  static long long seconds_since_epoch(WallTime at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  }
  static WallTime now() { return std::chrono::system_clock::now(); }

  Connection& connection_;
  SessionContext& context_;
  const IrcProtocol& protocol_;
  ChatHub& hub_;
  IrcReplies replies_;
  IrcQueries queries_;
  std::string scratch_;

  std::optional<TimerId> registration_timer_;
  std::optional<TimerId> ping_timer_;
  std::uint64_t received_at_last_look_ = 0;
  bool ping_outstanding_ = false;
  bool registered_ = false;
  bool negotiating_ = false;  // CAP LS or REQ seen, no CAP END yet: registration waits
  bool got_user_ = false;
  bool password_checked_ = false;
  std::optional<std::string> password_;
  bool sasl_ = false;       // the capability, asked for
  bool sasl_done_ = false;  // logged in with it
  std::optional<SaslPlainExchange> sasl_exchange_;  // AUTHENTICATE PLAIN under way
  std::string wanted_nick_;
  std::string away_;
  bool away_notify_ = false;
  bool echo_message_ = false;
  bool message_tags_ = false;
  bool server_time_ = false;
  bool multi_prefix_ = false;  // NAMES and WHO are the same either way: there is one prefix
};

}  // namespace

std::unique_ptr<Session> make_irc_session(Connection& connection, SessionContext& context, const IrcProtocol& protocol) {
  return std::make_unique<IrcSession>(connection, context, protocol);
}

SharedBytes IrcWording::error(const Participant& client, std::string_view text) const {
  std::string line = ":" + server_name_ + " NOTICE " + (client.nickname().empty() ? std::string("*") : irc_nick_of(client.nickname())) + " :";
  line.append(text).append("\r\n");
  return SharedBytes::copy_of(line);
}

SharedBytes IrcWording::last_words(std::string_view text) const {
  std::string line = "ERROR :";
  line.append(text).append("\r\n");
  return SharedBytes::copy_of(line);
}

SharedBytes IrcWording::shutting_down() const { return SharedBytes::copy_of("ERROR :Server shutting down\r\n"); }

IrcProtocol::IrcProtocol(IrcSettings settings)
    : settings_(std::move(settings)),
      wording_(settings_.server_name),
      plain_(1, settings_.server_name, false),
      timed_(2, settings_.server_name, true),
      started_at_(std::chrono::system_clock::now()) {}

std::unique_ptr<Session> IrcProtocol::open_session(Connection& connection, SessionContext& context) {
  return make_irc_session(connection, context, *this);
}

}  // namespace chatroom
