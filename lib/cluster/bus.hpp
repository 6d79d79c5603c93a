// The cluster bus: what a node tells the others and what it hears from them, as channels of
// opaque payloads, plus what pub/sub cannot do: name leases that exactly one node wins, and
// each room's recent history and topic. RedisBus is the one real implementation; InMemoryBus
// lets tests put several nodes in one process. Every call returns at once; answers come back
// later, on the loop, and never from inside the call that asked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace chatroom {

class BusListener {
 public:
  virtual void on_bus_message(std::string_view channel, std::string_view payload) = 0;
  // Connected, first or again: subscriptions are in place. Whatever was published while the
  // bus was down is lost, so this is the time to tell the others everything again.
  virtual void on_bus_up() = 0;
  virtual void on_bus_down() = 0;

 protected:
  ~BusListener() = default;
};

enum class NameClaim {
  Granted,      // the name is this node's until its lease runs out without renewal
  Taken,        // another live node holds it
  Unreachable,  // the bus is down: nobody can tell
};

struct BusCounters {
  std::uint64_t published = 0;
  std::uint64_t received = 0;
  std::uint64_t dropped_while_down = 0;   // publishes while not connected
  std::uint64_t dropped_over_limit = 0;   // publishes past the output bound (a stalled bus)
  std::uint64_t connects = 0;             // times the bus came up
  std::size_t queued_bytes = 0;           // waiting to be written to the bus now
};

class Bus {
 public:
  virtual ~Bus() = default;

  // Starts connecting; `listener` hears everything from then on and must outlive the bus's
  // use of it.
  virtual void start(BusListener& listener) = 0;
  [[nodiscard]] virtual bool up() const = 0;
  [[nodiscard]] virtual BusCounters counters() const = 0;

  // Sends `payload` once to every subscriber of `channel`, this node included. Dropped and
  // counted, never queued without bound, while the bus is down or too far behind.
  virtual void publish(std::string_view channel, std::string_view payload) = 0;
  // Kept across reconnects.
  virtual void subscribe(std::string_view channel) = 0;
  virtual void unsubscribe(std::string_view channel) = 0;

  // Name leases, each held by this node's instance. A claim succeeds when the name is free,
  // ours, or held by a previous instance of a node (restarted or dead), so a node never
  // inherits its former life's claims and a dead node's names free themselves.
  virtual void claim_name(std::string_view name, std::function<void(NameClaim)> decided) = 0;
  virtual void release_name(std::string_view name) = 0;
  // Renews the leases on `names` and that of this instance, and takes again those that
  // vanished (the bus's store restarted empty). `lost` gets the names another node holds now.
  virtual void renew_names(std::vector<std::string> names, std::function<void(std::vector<std::string>)> lost) = 0;

  // A bounded list per key: the room's last lines.
  virtual void append_history(std::string_view room, std::string_view payload, std::size_t max_entries) = 0;
  // Oldest first; nothing (never called) while the bus is down.
  virtual void read_history(std::string_view room, std::size_t max_entries,
                            std::function<void(std::vector<std::string>)> done) = 0;
  // One value per key: the room's topic, kept after its last member leaves, as its history is.
  virtual void store_topic(std::string_view room, std::string_view payload) = 0;
  // "" when none was stored; nothing (never called) while the bus is down.
  virtual void read_topic(std::string_view room, std::function<void(std::string)> done) = 0;
};

}  // namespace chatroom
