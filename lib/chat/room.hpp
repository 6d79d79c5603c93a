// A chat room: who is in it, its recent messages, and broadcasting one shared message to all
// members but the sender. Knows nothing of sockets. Does not own its participants.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "chat/broadcast.hpp"
#include "chat/message_history.hpp"
#include "chat/participant.hpp"

namespace chatroom {

// The longest topic kept, in bytes (IRC's TOPICLEN).
inline constexpr std::size_t kMaxTopicBytes = 390;

class Room {
 public:
  explicit Room(std::string name = {}, std::size_t history_capacity = 0)
      : name_(std::move(name)), history_(history_capacity) {}

  [[nodiscard]] const std::string& name() const { return name_; }

  void join(Participant& participant);
  void leave(Participant& participant);
  [[nodiscard]] bool contains(const Participant& participant) const;
  // Operators ('@' on IRC): the member who opened the room and whom an operator names, known
  // here and on no other node. A member that leaves is no operator any more.
  void make_operator(const Participant& participant) { operators_.insert(&participant); }
  void unmake_operator(const Participant& participant) { operators_.erase(&participant); }
  [[nodiscard]] bool is_operator(const Participant& participant) const { return operators_.contains(&participant); }
  [[nodiscard]] std::size_t size() const { return members_.size(); }
  // In no particular order (leaving reorders them).
  [[nodiscard]] std::span<Participant* const> members() const { return members_; }

  // Delivers `broadcast`, in each member's dialect, to every member except `sender` (nullptr:
  // to everyone) and returns how many deliveries were made.
  std::size_t broadcast(Broadcast& broadcast, const Participant* sender = nullptr);

  // What the room is about, who said so and when; empty text: no topic. In a cluster every node
  // keeps the room's topic, and the last one set wins.
  struct Topic {
    std::string text;
    std::string set_by;
    WallTime set_at;
  };
  [[nodiscard]] const Topic& topic() const { return topic_; }
  void set_topic(Topic topic) { topic_ = std::move(topic); }

  [[nodiscard]] MessageHistory& history() { return history_; }
  [[nodiscard]] const MessageHistory& history() const { return history_; }

 private:
  std::string name_;
  // A dense array keeps the fan-out loop a linear walk; the index makes leaving O(1).
  std::vector<Participant*> members_;
  std::unordered_map<const Participant*, std::size_t> position_;
  MessageHistory history_;
  Topic topic_;
  std::unordered_set<const Participant*> operators_;
};

}  // namespace chatroom
