// A bus inside one process, for testing the cluster's chat logic across several "nodes"
// without Redis. InMemoryBroker plays Redis: channels, name leases on its own manual clock,
// history lists and topics, and an outage switch. Nothing happens until the test calls deliver_all(), so
// answers never arrive inside the call that asked, as with a real bus.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/bus.hpp"
#include "cluster/bus_message.hpp"

namespace chatroom {

class InMemoryBus;

class InMemoryBroker {
 public:
  explicit InMemoryBroker(std::chrono::milliseconds lease) : lease_(lease) {}

  // Runs everything queued, and what that queues in turn, until nothing is left.
  void deliver_all();
  // Moves the broker's clock, which only leases read.
  void advance(std::chrono::milliseconds elapsed) { now_ += elapsed; }
  // Takes the broker down (every bus hears on_bus_down, publishes are dropped) or up again.
  void set_reachable(bool reachable);
  // Cuts one bus off from the broker, or lets it back: a network partition of one node.
  void set_reachable(InMemoryBus& bus, bool reachable);
  // Publishes `payload` as a stranger with access to the broker would.
  void publish_as_stranger(const std::string& channel, const std::string& payload);

 private:
  friend class InMemoryBus;
  using Time = std::chrono::milliseconds;
  struct Lease {
    std::string owner;  // "node/instance"
    Time expires_at{};
  };

  void later(std::function<void()> work) { queue_.push_back(std::move(work)); }
  [[nodiscard]] bool alive(const Lease& lease) const { return lease.expires_at > now_; }
  // A name is free unless a live lease holds it for a current, live instance of its node.
  [[nodiscard]] bool name_free_for(const std::string& name, const std::string& owner) const;

  std::chrono::milliseconds lease_;
  Time now_{};
  bool reachable_ = true;
  std::deque<std::function<void()>> queue_;
  std::vector<InMemoryBus*> buses_;
  std::map<std::string, Lease> names_;
  std::map<std::string, Lease> instances_;  // by node name: its current instance
  std::map<std::string, std::deque<std::string>> histories_;
  std::map<std::string, std::string> topics_;
};

class InMemoryBus final : public Bus {
 public:
  InMemoryBus(InMemoryBroker& broker, NodeOrigin origin);
  ~InMemoryBus() override;
  InMemoryBus(const InMemoryBus&) = delete;
  InMemoryBus& operator=(const InMemoryBus&) = delete;

  void start(BusListener& listener) override;
  [[nodiscard]] bool up() const override { return up_; }
  [[nodiscard]] BusCounters counters() const override { return counters_; }
  void publish(std::string_view channel, std::string_view payload) override;
  void subscribe(std::string_view channel) override { channels_.insert(std::string(channel)); }
  void unsubscribe(std::string_view channel) override { channels_.erase(std::string(channel)); }
  void claim_name(std::string_view name, std::function<void(NameClaim)> decided) override;
  void release_name(std::string_view name) override;
  void renew_names(std::vector<std::string> names, std::function<void(std::vector<std::string>)> lost) override;
  void append_history(std::string_view room, std::string_view payload, std::size_t max_entries) override;
  void read_history(std::string_view room, std::size_t max_entries,
                    std::function<void(std::vector<std::string>)> done) override;
  void store_topic(std::string_view room, std::string_view payload) override;
  void read_topic(std::string_view room, std::function<void(std::string)> done) override;

  [[nodiscard]] bool subscribed_to(const std::string& channel) const { return channels_.contains(channel); }

 private:
  friend class InMemoryBroker;
  void set_up(bool up);
  [[nodiscard]] std::string owner() const;

  InMemoryBroker& broker_;
  NodeOrigin origin_;
  BusListener* listener_ = nullptr;
  bool up_ = false;
  bool cut_off_ = false;
  std::set<std::string> channels_;
  BusCounters counters_;
  // Cleared when the bus goes away, so work it queued finds it gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace chatroom
