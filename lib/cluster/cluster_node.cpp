// Channels, the heartbeat, and what each kind of bus message does here.
#include "cluster/cluster_node.hpp"

#include <spdlog/spdlog.h>

#include "chat/name_rules.hpp"

namespace chatroom {
namespace {

std::int64_t unix_ms(WallTime time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

}  // namespace

ClusterNode::ClusterNode(Reactor& reactor, ChatHub& hub, Bus& bus, ClusterSettings settings, KickHere kick_here)
    : reactor_(reactor),
      hub_(hub),
      bus_(bus),
      settings_(std::move(settings)),
      own_channel_(node_channel(settings_.origin.node)),
      kick_here_(std::move(kick_here)) {
  hub_.set_peers(*this);
}

ClusterNode::~ClusterNode() {
  if (heartbeat_timer_) reactor_.cancel_timer(*heartbeat_timer_);
  for (const TimerId timer : claim_timers_) reactor_.cancel_timer(timer);
  hub_.detach_peers();
}

std::string ClusterNode::room_channel(std::string_view room) { return "chatroom:room:" + fold_name(room); }

std::string ClusterNode::node_channel(std::string_view node) {
  std::string channel = "chatroom:node:";
  channel.append(node);
  return channel;
}

void ClusterNode::start() {
  bus_.subscribe(kClusterChannel);
  bus_.subscribe(own_channel_);
  bus_.start(*this);
  heartbeat_timer_ = reactor_.run_after(settings_.lease / 3, [this] { beat(); });
}

void ClusterNode::say_goodbye() {
  if (leaving_) return;
  leaving_ = true;
  publish(kClusterChannel, GoodbyeMessage{});
}

void ClusterNode::beat() {
  heartbeat_timer_ = reactor_.run_after(settings_.lease / 3, [this] { beat(); });
  if (bus_.up() && !leaving_) {
    publish_heartbeat();
    renew_names();
  }
  forget_silent_nodes();
}

void ClusterNode::forget_silent_nodes() {
  for (const std::string& node : roster_.silent_since(reactor_.now() - settings_.lease)) {
    ++counters_.nodes_lost;
    spdlog::warn("cluster: node {} has not been heard from for {} ms; its members are gone", node,
                 settings_.lease.count());
    announce_departures(roster_.drop(node), "node " + node + " is gone");
  }
}

void ClusterNode::renew_names() {
  bus_.renew_names(std::vector<std::string>(held_names_.begin(), held_names_.end()),
                   [this](std::vector<std::string> lost) { revoke_lost_names(lost); });
}

void ClusterNode::revoke_lost_names(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (held_names_.erase(name) == 0) continue;
    ++counters_.names_lost;
    spdlog::warn("cluster: the nickname {} was taken by another node while this one was cut off", name);
    hub_.revoke_nickname(name, "another node gave the nickname " + name + " away while this one was cut off");
  }
}

void ClusterNode::announce_departures(const std::vector<MemberEntry>& seats, std::string_view why) {
  std::vector<std::uint64_t> order;
  std::unordered_map<std::uint64_t, std::vector<std::string>> rooms_of;
  std::unordered_map<std::uint64_t, std::string> name_of;
  for (const MemberEntry& seat : seats) {
    auto [rooms, first] = rooms_of.try_emplace(seat.member);
    if (first) {
      order.push_back(seat.member);
      name_of.emplace(seat.member, seat.name);
    }
    rooms->second.push_back(seat.room);
  }
  for (const std::uint64_t member : order) hub_.quit_elsewhere(rooms_of[member], name_of[member], why);
}

MemberEntry ClusterNode::entry_of(const Participant& member, const Room& room) {
  return MemberEntry{member.member_id(), std::string(member.display_name()), !member.nickname().empty(), room.name(),
                     std::string(member.away_message()), room.is_operator(member)};
}

void ClusterNode::publish(std::string_view channel, BusBody body) {
  bus_.publish(channel, encode(BusMessage{settings_.origin, std::move(body)}));
}

void ClusterNode::publish_roster() {
  if (leaving_) return;
  RosterMessage roster;
  hub_.for_each_member([&](const Participant& member) {
    if (member.gone()) return;
    for (const Room* room : member.rooms()) roster.members.push_back(entry_of(member, *room));
  });
  publish(kClusterChannel, std::move(roster));
}

void ClusterNode::publish_heartbeat() {
  if (leaving_) return;
  publish(kClusterChannel,
          HeartbeatMessage{hub_.members_here(), hub_.stats().messages, hub_.stats().deliveries,
                           unix_ms(std::chrono::system_clock::now())});
}

// ChatPeers: what happens here.

void ClusterNode::said(const Room& room, const Participant& sender, ChatKind kind, std::string_view text,
                       WallTime sent_at) {
  const std::string payload = encode(BusMessage{
      settings_.origin, SaidMessage{room.name(), SaidLine{std::string(sender.display_name()), kind, std::string(text), sent_at}}});
  ++counters_.lines_published;
  bus_.publish(room_channel(room.name()), payload);
  if (hub_.history_lines() > 0) bus_.append_history(fold_name(room.name()), payload, hub_.history_lines());
}

void ClusterNode::entered(const Participant& member, const Room& room) {
  // Subscribed while the room has members here: a node hears only the rooms it serves.
  if (room.size() == 1) bus_.subscribe(room_channel(room.name()));
  if (!leaving_) publish(kClusterChannel, JoinedMessage{entry_of(member, room)});
}

void ClusterNode::left(const Participant& member, const Room& room, std::string_view why) {
  if (room.size() == 0) bus_.unsubscribe(room_channel(room.name()));
  // After the goodbye the others have forgotten every member here already.
  if (!leaving_) publish(kClusterChannel, LeftMessage{entry_of(member, room), std::string(why), {}});
}

void ClusterNode::quit(const Participant& member, std::span<Room* const> rooms, std::string_view why) {
  for (const Room* room : rooms) {
    if (room->size() == 0) bus_.unsubscribe(room_channel(room->name()));
  }
  if (!leaving_ && !rooms.empty()) publish(kClusterChannel, QuitMessage{entry_of(member, *rooms.front()), std::string(why)});
}

void ClusterNode::kicked(const Participant& member, const Room& room, std::string_view by, std::string_view why) {
  if (room.size() == 0) bus_.unsubscribe(room_channel(room.name()));
  if (!leaving_) publish(kClusterChannel, LeftMessage{entry_of(member, room), std::string(why), std::string(by)});
}

void ClusterNode::renamed(const Participant& member, std::string_view old_name) {
  if (member.room() == nullptr || leaving_) return;
  publish(kClusterChannel, RenamedMessage{entry_of(member, *member.room()), std::string(old_name)});
}

void ClusterNode::away_changed(const Participant& member) {
  if (member.room() == nullptr || leaving_) return;
  publish(kClusterChannel, AwayMessage{entry_of(member, *member.room())});
}

void ClusterNode::operator_changed(std::string_view by, const Participant& member, const Room& room) {
  if (leaving_) return;
  publish(kClusterChannel, OperatorMessage{entry_of(member, room), std::string(by)});
}

bool ClusterNode::act_as_operator(const Participant& by, const Room& room, std::string_view nickname,
                                  OperatorAction action, std::string_view why) {
  const std::optional<RemoteRoster::MemberReport> member = roster_.nicknamed(nickname);
  if (!member || member->seat_in(room.name()) == nullptr) return false;
  publish(node_channel(member->node), OperatorRequestMessage{room.name(), std::string(by.display_name()),
                                                             member->entry.name, action, std::string(why)});
  return true;
}

void ClusterNode::server_said(std::string_view text) {
  publish(kClusterChannel, ServerTextMessage{std::string(text)});
}

void ClusterNode::topic_set(const Room& room) {
  const std::string payload = encode(BusMessage{settings_.origin, TopicMessage{room.name(), room.topic()}});
  bus_.publish(room_channel(room.name()), payload);
  bus_.store_topic(fold_name(room.name()), payload);
}

void ClusterNode::claim_nickname(std::string_view name, std::function<void(bool)> decided) {
  // Answered once: by Redis, or by the deadline if Redis is stalled.
  struct Answer {
    std::function<void(bool)> decided;
    std::optional<TimerId> deadline;
  };
  auto answer = std::make_shared<Answer>(Answer{std::move(decided), std::nullopt});
  const std::string folded = fold_name(name);
  const auto settle = [this, answer, folded](NameClaim claim) {
    if (!answer->decided) return;  // the deadline answered first; renew_names reconciles
    if (answer->deadline) {
      reactor_.cancel_timer(*answer->deadline);
      claim_timers_.erase(*answer->deadline);
    }
    const std::function<void(bool)> tell = std::exchange(answer->decided, nullptr);
    switch (claim) {
      case NameClaim::Taken:
        tell(false);
        return;
      case NameClaim::Unreachable:
        // Local chat goes on without the cluster: the name is unique here, and its lease is
        // taken when the bus is back (renew_names), or the name is given back if it cannot be.
      case NameClaim::Granted:
        held_names_.insert(folded);
        tell(true);
        return;
    }
  };
  answer->deadline = reactor_.run_after(settings_.claim_timeout, [this, answer, settle, folded] {
    claim_timers_.erase(*answer->deadline);
    answer->deadline.reset();
    spdlog::warn("cluster: Redis has not answered the claim for the nickname {} within {} ms; granted here", folded,
                 settings_.claim_timeout.count());
    settle(NameClaim::Unreachable);
  });
  claim_timers_.insert(*answer->deadline);
  bus_.claim_name(folded, settle);
}

void ClusterNode::release_nickname(std::string_view name) {
  const std::string folded = fold_name(name);
  if (held_names_.erase(folded) > 0) bus_.release_name(folded);
}

bool ClusterNode::send_private(const Participant& sender, std::string_view nickname, std::string_view text) {
  const std::optional<std::string> node = roster_.node_of(nickname, true);
  if (!node) return false;
  publish(node_channel(*node),
          PrivateMessage{std::string(nickname), std::string(sender.display_name()), std::string(text)});
  return true;
}

bool ClusterNode::kick_elsewhere(std::string_view who, std::string_view reason) {
  const std::optional<std::string> node = roster_.node_of(who, false);
  if (!node) return false;
  publish(node_channel(*node), KickMessage{std::string(who), std::string(reason)});
  return true;
}

std::optional<MemberElsewhere> ClusterNode::member_elsewhere(std::string_view nickname) const {
  if (const auto member = roster_.nicknamed(nickname)) {
    MemberElsewhere found{member->entry.name, member->entry.away, {}};
    for (const MemberEntry& seat : member->seats) found.seats.push_back(Seat{seat.room, seat.room_operator});
    return found;
  }
  return std::nullopt;
}

std::size_t ClusterNode::members_elsewhere(std::string_view room) const { return roster_.members_in(room); }

void ClusterNode::list_members_elsewhere(std::string_view room, std::size_t limit,
                                         std::vector<MemberElsewhere>& members) const {
  std::vector<MemberEntry> entries;
  roster_.list_members_in(room, limit, entries);
  for (MemberEntry& entry : entries) {
    members.push_back(
        MemberElsewhere{std::move(entry.name), std::move(entry.away), {Seat{std::move(entry.room), entry.room_operator}}});
  }
}

void ClusterNode::count_rooms_elsewhere(std::vector<RoomCount>& rooms) const { roster_.count_rooms(rooms); }

void ClusterNode::fetch_history(std::string_view room, std::size_t lines,
                                std::function<void(std::vector<SaidLine>)> done) {
  bus_.read_history(fold_name(room), lines, [this, done = std::move(done)](std::vector<std::string> payloads) {
    std::vector<SaidLine> history;
    history.reserve(payloads.size());
    for (const std::string& payload : payloads) {
      std::optional<BusMessage> message = decode(payload);
      auto* said = message ? std::get_if<SaidMessage>(&message->body) : nullptr;
      if (said == nullptr) {
        count_garbage("history");
        continue;
      }
      history.push_back(std::move(said->line));
    }
    done(std::move(history));
  });
}

void ClusterNode::fetch_topic(std::string_view room, std::function<void(Room::Topic)> done) {
  bus_.read_topic(fold_name(room), [this, done = std::move(done)](const std::string& payload) {
    if (payload.empty()) return done(Room::Topic{});
    std::optional<BusMessage> message = decode(payload);
    auto* topic = message ? std::get_if<TopicMessage>(&message->body) : nullptr;
    if (topic == nullptr) return count_garbage("topic");
    done(std::move(topic->topic));
  });
}

// BusListener: what the others tell us.

void ClusterNode::on_bus_up() {
  if (!ever_connected_) {
    spdlog::info("cluster: node {} joined the cluster", settings_.origin.node);
  } else {
    spdlog::info("cluster: connection to the cluster is back; telling the others everything again");
  }
  ever_connected_ = true;
  reported_down_ = false;
  publish(kClusterChannel, HelloMessage{});
  publish_roster();
  publish_heartbeat();
  renew_names();
}

void ClusterNode::on_bus_down() {
  if (reported_down_) return;
  reported_down_ = true;
  spdlog::warn("cluster: lost the connection to the cluster; serving local chat, lines for other nodes are dropped "
               "until it is back");
}

void ClusterNode::count_garbage(std::string_view what) {
  ++counters_.garbage_received;
  if (garbage_warning_.should_log(reactor_.now())) {
    spdlog::warn("cluster: ignored an invalid {} payload ({} so far)", what, counters_.garbage_received);
  }
}

void ClusterNode::on_bus_message(std::string_view channel, std::string_view payload) {
  std::optional<BusMessage> message = decode(payload);
  if (!message) return count_garbage(channel);
  if (message->origin.node == settings_.origin.node) {
    if (message->origin.instance != settings_.origin.instance && namesake_warning_.should_log(reactor_.now())) {
      spdlog::error("cluster: another node is also called {}: give every node its own --node-name",
                    settings_.origin.node);
    }
    return;  // our own, already delivered here
  }
  apply(channel, std::move(*message));
}

void ClusterNode::apply(std::string_view channel, BusMessage message) {
  const std::string& node = message.origin.node;
  const bool on_cluster_channel = channel == kClusterChannel;
  const bool on_our_channel = channel == own_channel_;
  if (auto* said = std::get_if<SaidMessage>(&message.body)) {
    if (channel != room_channel(said->room)) return count_garbage(channel);
  } else if (auto* topic = std::get_if<TopicMessage>(&message.body)) {
    if (channel != room_channel(topic->room)) return count_garbage(channel);
  } else if (std::holds_alternative<PrivateMessage>(message.body) || std::holds_alternative<KickMessage>(message.body) ||
             std::holds_alternative<OperatorRequestMessage>(message.body)) {
    if (!on_our_channel) return count_garbage(channel);
  } else if (!on_cluster_channel) {
    return count_garbage(channel);
  }
  announce_departures(roster_.heard_from(message.origin, reactor_.now()), "node " + node + " restarted");

  struct Apply {
    ClusterNode& self;
    const std::string& node;
    void operator()(SaidMessage& said) const {
      ++self.counters_.lines_received;
      self.hub_.deliver_said_elsewhere(said.room, said.line);
    }
    void operator()(JoinedMessage& joined) const {
      self.roster_.add(node, joined.entry);
      self.hub_.joined_elsewhere(joined.entry.room, joined.entry.name, joined.entry.away);
    }
    void operator()(LeftMessage& left) const {
      // Unknown: already gone with its node's goodbye, or never heard of.
      if (!self.roster_.contains(node, left.entry.member)) return;
      if (!left.kicked_by.empty()) {
        self.hub_.kicked_elsewhere(left.entry.room, left.kicked_by, left.entry.name, left.why);
      } else {
        self.hub_.left_elsewhere(left.entry.room, left.entry.name, left.why);
      }
      self.roster_.remove(node, left.entry.member, left.entry.room);
    }
    void operator()(QuitMessage& quit) const {
      std::vector<std::string> rooms;
      for (const MemberEntry& seat : self.roster_.remove_member(node, quit.entry.member)) rooms.push_back(seat.room);
      if (!rooms.empty()) self.hub_.quit_elsewhere(rooms, quit.entry.name, quit.why);
    }
    void operator()(AwayMessage& away) const {
      const std::vector<std::string> rooms = self.roster_.update(node, away.entry);
      self.hub_.away_changed_elsewhere(rooms, away.entry.name, away.entry.away);
    }
    void operator()(OperatorRequestMessage& request) const {
      // Done only for an operator of the room, as its node last said: the bus is no authority.
      const std::optional<RemoteRoster::MemberReport> by = self.roster_.nicknamed(request.by);
      const MemberEntry* seat = by ? by->seat_in(request.room) : nullptr;
      if (seat == nullptr || by->node != node || !seat->room_operator) return;
      self.hub_.act_for_operator_elsewhere(request.room, by->entry.name, request.who, request.action, request.why);
    }
    void operator()(OperatorMessage& change) const {
      if (self.roster_.update(node, change.entry).empty()) return;
      self.hub_.operator_changed_elsewhere(change.entry.room, change.by, change.entry.name, change.entry.room_operator);
    }
    void operator()(RenamedMessage& renamed) const {
      const std::vector<std::string> rooms = self.roster_.update(node, renamed.entry);
      self.hub_.renamed_elsewhere(rooms, renamed.old_name, renamed.entry.name);
    }
    void operator()(PrivateMessage& message) const {
      self.hub_.deliver_private_from_elsewhere(message.to, message.sender, message.text);
    }
    void operator()(KickMessage& kick) const { self.kick_here_(kick.who, kick.reason); }
    void operator()(TopicMessage& topic) const { self.hub_.topic_set_elsewhere(topic.room, topic.topic); }
    void operator()(ServerTextMessage& server) const { self.hub_.broadcast_from_server_here(server.text); }
    void operator()(HeartbeatMessage& heartbeat) const { self.roster_.set_load(node, heartbeat); }
    void operator()(HelloMessage&) const {
      self.publish_roster();
      self.publish_heartbeat();
    }
    void operator()(RosterMessage& roster) const { self.roster_.replace(node, roster.members); }
    void operator()(GoodbyeMessage&) const {
      self.announce_departures(self.roster_.drop(node), "node " + node + " shut down");
    }
  };
  std::visit(Apply{*this, node}, message.body);
}

}  // namespace chatroom
