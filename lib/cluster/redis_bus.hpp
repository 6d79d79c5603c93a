// The bus over Redis: PUBLISH and SUBSCRIBE for the channels, Lua scripts for name leases
// (atomic, so of two nodes racing for a name exactly one wins), and a capped list per room for
// history. Two connections, since a subscribed Redis connection takes no other commands. What
// is queued for Redis is bounded by max_output_bytes; past it, and while Redis is unreachable,
// publishes are dropped and counted, never queued without bound.
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "cluster/bus.hpp"
#include "cluster/bus_message.hpp"
#include "cluster/redis_connection.hpp"

namespace chatroom {

struct RedisBusSettings {
  RedisConnectionSettings connection;
  NodeOrigin origin;
  std::chrono::milliseconds lease{30000};
  std::size_t max_output_bytes = 16 << 20;
};

class RedisBus final : public Bus, private TurnHook {
 public:
  RedisBus(Reactor& reactor, RedisBusSettings settings);
  ~RedisBus() override;
  RedisBus(const RedisBus&) = delete;
  RedisBus& operator=(const RedisBus&) = delete;

  void start(BusListener& listener) override;
  [[nodiscard]] bool up() const override { return up_; }
  [[nodiscard]] BusCounters counters() const override;
  void publish(std::string_view channel, std::string_view payload) override;
  void subscribe(std::string_view channel) override;
  void unsubscribe(std::string_view channel) override;
  void claim_name(std::string_view name, std::function<void(NameClaim)> decided) override;
  void release_name(std::string_view name) override;
  void renew_names(std::vector<std::string> names, std::function<void(std::vector<std::string>)> lost) override;
  void append_history(std::string_view room, std::string_view payload, std::size_t max_entries) override;
  void store_topic(std::string_view room, std::string_view payload) override;
  void read_topic(std::string_view room, std::function<void(std::string)> done) override;
  void read_history(std::string_view room, std::size_t max_entries,
                    std::function<void(std::vector<std::string>)> done) override;

 private:
  // TurnHook, run before the clients' flush: this turn's publishes leave for the other nodes
  // before the node spends the rest of the turn writing to its own clients.
  void end_of_turn() override;
  [[nodiscard]] bool has_pending_work() const override { return false; }

  void connection_ready();
  void connection_lost();
  void subscribe_all();
  void on_push(const redisReply* reply);
  // Queues a command on the command connection, unless the bus is down or the command would
  // take what is queued for Redis past its bound (then it is counted as dropped).
  bool send(std::span<const std::string_view> command, RedisConnection::ReplyHandler handler = {});
  [[nodiscard]] bool room_for(std::size_t bytes) const;
  [[nodiscard]] std::string owner() const;

  Reactor& reactor_;
  RedisBusSettings settings_;
  RedisOutageLog outages_;  // before the connections, which report to it
  RedisConnection commands_;
  RedisConnection subscriptions_;
  BusListener* listener_ = nullptr;
  std::set<std::string> channels_;
  // SUBSCRIBEs sent on (re)connecting that Redis has not confirmed yet: the bus is up only
  // once it hears every channel, so the answers to its hello cannot slip past it.
  std::size_t unconfirmed_subscriptions_ = 0;
  bool subscribed_ = false;
  bool up_ = false;
  BusCounters counters_;
};

}  // namespace chatroom
