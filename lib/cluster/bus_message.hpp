// What one node tells the others on the bus, and the one wire format for it: a version, a kind
// and length-prefixed fields, validated field by field on the way in. Anyone who can reach
// Redis can PUBLISH, so a payload is untrusted input: decode() accepts only what encode()
// could have produced from valid values, and anything else is nullopt, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "chat/chat_peers.hpp"

namespace chatroom {

// "CR3 said 5:node1;..."; a new format gets a new version word, so old nodes ignore it (CR2:
// members carry their away message and whether they are their room's operators; CR3: a member
// may be in several rooms, one entry each, and leaves them all with one quit).
inline constexpr std::string_view kBusFormatVersion = "CR3";
// The largest payload accepted: a roster of 100,000 members fits.
inline constexpr std::size_t kMaxBusPayloadBytes = 16 << 20;
// Longest node name: a host name and a port.
inline constexpr std::size_t kMaxNodeNameLength = 255;

// Who sent a message: the node's name and the instance, a random number drawn at start-up, so
// a node restarted under the same name is told apart from its previous life.
struct NodeOrigin {
  std::string node;
  std::uint64_t instance = 0;
  friend bool operator==(const NodeOrigin&, const NodeOrigin&) = default;
};

// A member in one room, as the other nodes know it: a member in several rooms has an entry, a
// seat, for each, under one id.
struct MemberEntry {
  std::uint64_t member = 0;  // its id on its node
  std::string name;          // what it is shown as: its nickname, or "ip:port"
  bool nicknamed = false;    // `name` is a nickname (and \msg can reach it)
  std::string room;
  std::string away;          // why it is away (IRC's AWAY); empty: it is here
  bool room_operator = false;  // an operator of `room`
  friend bool operator==(const MemberEntry&, const MemberEntry&) = default;
};

struct SaidMessage {  // on the room's channel
  std::string room;
  SaidLine line;
};
struct JoinedMessage {  // a member entered a room (after connecting or \join)
  MemberEntry entry;
};
struct LeftMessage {  // a member left entry.room and stays in the chat
  MemberEntry entry;
  std::string why;        // "" for a move to another room; a part's or a kick's reason
  std::string kicked_by;  // the operator who put it out of the room; "" if nobody did
};
struct QuitMessage {  // a member left the chat, and so every room it was in
  MemberEntry entry;  // any of its seats
  std::string why;
};
struct RenamedMessage {  // in every room of the member's
  MemberEntry entry;  // with the new name; any of its seats
  std::string old_name;
};
struct AwayMessage {  // a member went away or came back (entry.away), in every room of its
  MemberEntry entry;
};
struct OperatorMessage {  // `by`, an operator of the member's room, made it one (entry.room_operator) or not
  MemberEntry entry;
  std::string by;
};
struct OperatorRequestMessage {  // on the member's node's channel: `by`, an operator of `room`, does `action`
  std::string room;
  std::string by;
  std::string who;
  OperatorAction action = OperatorAction::Kick;
  std::string why;  // a kick's reason
};
struct PrivateMessage {  // on the recipient's node's channel
  std::string to;
  std::string sender;
  std::string text;
};
struct KickMessage {  // on the target's node's channel
  std::string who;
  std::string reason;
};
struct TopicMessage {  // on the room's channel, and kept on the bus as the room's topic
  std::string room;
  Room::Topic topic;
};
struct ServerTextMessage {  // the console's broadcast
  std::string text;
};
struct HeartbeatMessage {  // with the node's load, for the others' \stats and \nodes
  std::uint64_t clients = 0;
  std::uint64_t messages = 0;    // accepted since it started
  std::uint64_t deliveries = 0;  // made to its own clients since it started
  std::int64_t sent_at_ms = 0;  // Unix time
};
struct HelloMessage {};  // a node (re)joined: everyone, send your roster
struct RosterMessage {   // every member of the sending node
  std::vector<MemberEntry> members;
};
struct GoodbyeMessage {};  // a node is shutting down: forget its members now

using BusBody = std::variant<SaidMessage, JoinedMessage, LeftMessage, QuitMessage, RenamedMessage, AwayMessage, OperatorMessage,
                             OperatorRequestMessage, PrivateMessage, KickMessage, TopicMessage, ServerTextMessage, HeartbeatMessage, HelloMessage,
                             RosterMessage, GoodbyeMessage>;

struct BusMessage {
  NodeOrigin origin;
  BusBody body;
};

[[nodiscard]] std::string encode(const BusMessage& message);
[[nodiscard]] std::optional<BusMessage> decode(std::string_view payload);

// A node name may be a host name, an address and a port: letters, digits and . : _ - [ ] @.
[[nodiscard]] bool is_valid_node_name(std::string_view name);

}  // namespace chatroom
