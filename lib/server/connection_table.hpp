// Every connection of the server, and the work the loop does on them between events: reads
// cut short by the read budget, continued a turn later; flushes, in rounds worked through a
// slice of connections per turn, with a rest after a round of one-line writes (WritePacer);
// and destroying the connections that closed, after the turn. The table owns each
// Connection; everyone else names them by id, since a connection may be gone by the time a
// queued id comes up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "reactor/clock.hpp"
#include "server/acceptor.hpp"
#include "server/connection.hpp"
#include "server/write_pacer.hpp"

namespace chatroom {

class ConnectionTable {
 public:
  struct Entry {
    std::unique_ptr<Connection> connection;
    TimePoint connected_at;
    ClientKind kind = ClientKind::Plain;
  };

  // `clock` must outlive the table.
  ConnectionTable(const Clock& clock, WritePacer pacer) : clock_(clock), pacer_(pacer) {}
  ConnectionTable(const ConnectionTable&) = delete;
  ConnectionTable& operator=(const ConnectionTable&) = delete;

  [[nodiscard]] ConnectionId next_id() { return next_id_++; }
  Connection& add(std::unique_ptr<Connection> connection, TimePoint connected_at, ClientKind kind);
  // Null once the connection is destroyed.
  [[nodiscard]] Connection* find(ConnectionId id) const;
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  // Rests after rounds of one-line writes (WritePacer), and their length together.
  struct Rests {
    std::uint64_t count = 0;
    Duration total{};
  };
  [[nodiscard]] const Rests& rests() const { return rests_; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const auto& [id, entry] : entries_) visit(entry);
  }

  // The connection has output to write: it is flushed in a coming slice.
  void flush_soon(ConnectionId id) { flush_queue_.push_back(id); }
  // Its read budget ran out this turn: it reads again next turn.
  void read_again_next_turn(ConnectionId id) { read_again_.push_back({id, turn_}); }
  // It closed; it is destroyed, and `why` told to its room, at the end of the turn.
  void destroy_after_turn(ConnectionId id, std::string why) { closed_.emplace_back(id, std::move(why)); }

  [[nodiscard]] bool has_pending_work() const {
    return !read_again_.empty() || (!flush_queue_.empty() && !resting(clock_.now()));
  }
  // When output waits for a rest to end: the loop must wake then.
  [[nodiscard]] std::optional<TimePoint> flush_due() const {
    if (flush_queue_.empty() || !resting(clock_.now())) return std::nullopt;
    return next_round_at_;
  }
  // Reads of connections whose budget ran out in an earlier turn; one put on the list in this
  // turn waits for the next, so each gets one budget a turn.
  void continue_budgeted_reads();
  // Flushes up to one slice of the round under way, oldest request first; begins a round with
  // every connection then waiting, unless the rest after the last one has not ended.
  void flush_slice();
  // Destroys the connections that closed, each after `before_destroy(entry, why)`, which may
  // close more (a leaving notice is a delivery, and a delivery can cut a slow consumer off):
  // those go too.
  template <typename BeforeDestroy>
  void destroy_closed(BeforeDestroy&& before_destroy);
  // Drops the reads and flushes still waiting (everyone is being closed at once).
  void forget_pending_work();
  // The end of a loop turn, after the work above.
  void next_turn() { ++turn_; }

  // Connections flushed per turn before input is looked at again. Large enough that the
  // extra epoll_wait per slice is noise, small enough that a fan-out to tens of thousands of
  // clients does not keep new messages waiting for the whole round.
  static constexpr std::size_t kConnectionsFlushedPerTurn = 256;

 private:
  std::unordered_map<ConnectionId, Entry> entries_;
  ConnectionId next_id_ = 1;
  // Connections with output to write, oldest request first. At most a slice of them is
  // flushed per turn, so input that arrives during a long fan-out is read between slices and
  // joins the queues not yet written: under load, one write carries several broadcasts.
  std::deque<ConnectionId> flush_queue_;
  [[nodiscard]] bool resting(TimePoint now) const { return round_left_ == 0 && now < next_round_at_; }
  const Clock& clock_;
  WritePacer pacer_;
  // The round under way: its first flush_queue_ entries, and what it has written so far.
  std::size_t round_left_ = 0;
  TimePoint round_started_{};
  TimePoint round_ended_{};  // the last round's
  std::size_t round_writes_ = 0;
  std::size_t round_messages_ = 0;
  TimePoint next_round_at_{};
  Rests rests_;
  struct DeferredRead {
    ConnectionId id;
    std::uint64_t turn;
  };
  std::vector<DeferredRead> read_again_;
  std::uint64_t turn_ = 0;
  // Closed this turn, with what the room is told about why ("" for a plain leave).
  std::vector<std::pair<ConnectionId, std::string>> closed_;
};

template <typename BeforeDestroy>
void ConnectionTable::destroy_closed(BeforeDestroy&& before_destroy) {
  while (!closed_.empty()) {
    std::vector<std::pair<ConnectionId, std::string>> closed;
    closed.swap(closed_);
    for (const auto& [id, why] : closed) {
      const auto found = entries_.find(id);
      if (found == entries_.end()) continue;
      before_destroy(found->second, why);
      entries_.erase(found);
    }
  }
}

}  // namespace chatroom
