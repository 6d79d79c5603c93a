// This node's part in a chat that spans several: it tells the other nodes what happens here
// (as the hub's ChatPeers), applies what they tell it (as the bus's listener), keeps the
// roster of their members, beats its heart, renews its nickname leases, and forgets nodes that
// fell silent. Owns nothing but its roster; the hub and the bus must outlive it.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat_hub.hpp"
#include "chat/chat_peers.hpp"
#include "cluster/bus.hpp"
#include "cluster/bus_message.hpp"
#include "cluster/remote_roster.hpp"
#include "reactor/reactor.hpp"
#include "reactor/throttled_warning.hpp"

namespace chatroom {

struct ClusterSettings {
  NodeOrigin origin;
  // How long a node's names and membership outlive its last heartbeat; it beats three times
  // per lease.
  std::chrono::milliseconds lease{30000};
  // A nickname claim Redis has not answered by then (it is stalled) is granted here, as when
  // Redis is unreachable: the member's lines wait for the answer, and must not wait long.
  std::chrono::milliseconds claim_timeout{2000};
};

struct ClusterCounters {
  std::uint64_t lines_published = 0;  // chat lines from here
  std::uint64_t lines_received = 0;   // chat lines from elsewhere, delivered here
  std::uint64_t garbage_received = 0; // payloads that failed validation, ignored
  std::uint64_t nodes_lost = 0;       // fell silent for a lease
  std::uint64_t names_lost = 0;       // taken by another node while this one was cut off
};

class ClusterNode final : public ChatPeers, private BusListener {
 public:
  // Disconnects the member shown as `who` here, if there is one; false if not.
  using KickHere = std::function<bool(std::string_view who, std::string_view reason)>;

  ClusterNode(Reactor& reactor, ChatHub& hub, Bus& bus, ClusterSettings settings, KickHere kick_here);
  ~ClusterNode();
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  // Connects the bus and starts the heartbeat.
  void start();
  // Tells the others this node is going (it is shutting down), so they forget its members now
  // rather than after a lease. From then on it tells them nothing more about its members.
  void say_goodbye();

  // The console's \kick for a member on another node; false if no node has one called `who`.
  bool kick_elsewhere(std::string_view who, std::string_view reason);

  [[nodiscard]] const NodeOrigin& origin() const { return settings_.origin; }
  [[nodiscard]] bool connected() const { return bus_.up(); }
  [[nodiscard]] const RemoteRoster& roster() const { return roster_; }
  [[nodiscard]] const ClusterCounters& counters() const { return counters_; }
  [[nodiscard]] BusCounters bus_counters() const { return bus_.counters(); }

  static std::string room_channel(std::string_view room);
  static std::string node_channel(std::string_view node);
  static constexpr std::string_view kClusterChannel = "chatroom:cluster";

 private:
  // ChatPeers
  void said(const Room& room, const Participant& sender, ChatKind kind, std::string_view text,
            WallTime sent_at) override;
  void entered(const Participant& member, const Room& room) override;
  void left(const Participant& member, const Room& room, std::string_view why) override;
  void quit(const Participant& member, std::span<Room* const> rooms, std::string_view why) override;
  void kicked(const Participant& member, const Room& room, std::string_view by, std::string_view why) override;
  void renamed(const Participant& member, std::string_view old_name) override;
  void away_changed(const Participant& member) override;
  void operator_changed(std::string_view by, const Participant& member, const Room& room) override;
  bool act_as_operator(const Participant& by, const Room& room, std::string_view nickname, OperatorAction action,
                       std::string_view why) override;
  void server_said(std::string_view text) override;
  void topic_set(const Room& room) override;
  void claim_nickname(std::string_view name, std::function<void(bool)> decided) override;
  void release_nickname(std::string_view name) override;
  bool send_private(const Participant& sender, std::string_view nickname, std::string_view text) override;
  [[nodiscard]] std::optional<MemberElsewhere> member_elsewhere(std::string_view nickname) const override;
  [[nodiscard]] std::size_t member_count_elsewhere() const override { return roster_.member_count(); }
  [[nodiscard]] std::size_t members_elsewhere(std::string_view room) const override;
  void list_members_elsewhere(std::string_view room, std::size_t limit,
                              std::vector<MemberElsewhere>& members) const override;
  void count_rooms_elsewhere(std::vector<RoomCount>& rooms) const override;
  void fetch_history(std::string_view room, std::size_t lines,
                     std::function<void(std::vector<SaidLine>)> done) override;
  void fetch_topic(std::string_view room, std::function<void(Room::Topic)> done) override;

  // BusListener
  void on_bus_message(std::string_view channel, std::string_view payload) override;
  void on_bus_up() override;
  void on_bus_down() override;

  void publish(std::string_view channel, BusBody body);
  void publish_roster();
  void publish_heartbeat();
  void beat();
  void forget_silent_nodes();
  void renew_names();
  void revoke_lost_names(const std::vector<std::string>& names);
  // Tells the rooms here that these members are gone, and why.
  // Each member of these seats quit: told once in all of its rooms.
  void announce_departures(const std::vector<MemberEntry>& seats, std::string_view why);
  void apply(std::string_view channel, BusMessage message);
  void count_garbage(std::string_view what);
  [[nodiscard]] static MemberEntry entry_of(const Participant& member, const Room& room);

  Reactor& reactor_;
  ChatHub& hub_;
  Bus& bus_;
  ClusterSettings settings_;
  std::string own_channel_;  // private lines and kicks for this node
  KickHere kick_here_;
  RemoteRoster roster_;
  // The nicknames this node holds leases on (folded).
  std::set<std::string> held_names_;
  std::optional<TimerId> heartbeat_timer_;
  // Deadlines of nickname claims still unanswered.
  std::set<TimerId> claim_timers_;
  ClusterCounters counters_;
  bool ever_connected_ = false;
  bool leaving_ = false;
  bool reported_down_ = false;
  ThrottledWarning garbage_warning_{std::chrono::seconds(10)};
  ThrottledWarning namesake_warning_{std::chrono::seconds(10)};
};

}  // namespace chatroom
