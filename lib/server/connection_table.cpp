// The connection table's turn work: deferred reads, flush slices.
#include "server/connection_table.hpp"

namespace chatroom {

Connection& ConnectionTable::add(std::unique_ptr<Connection> connection, TimePoint connected_at, ClientKind kind) {
  const ConnectionId id = connection->id();
  Connection& added = *connection;
  entries_.emplace(id, Entry{std::move(connection), connected_at, kind});
  return added;
}

Connection* ConnectionTable::find(ConnectionId id) const {
  const auto found = entries_.find(id);
  return found == entries_.end() ? nullptr : found->second.connection.get();
}

void ConnectionTable::continue_budgeted_reads() {
  if (read_again_.empty()) return;
  std::vector<DeferredRead> deferred;
  deferred.swap(read_again_);
  for (const DeferredRead& read : deferred) {
    if (read.turn == turn_) {  // it has had this turn's budget already
      read_again_.push_back(read);
      continue;
    }
    if (Connection* connection = find(read.id)) connection->read_within_budget();
  }
}

void ConnectionTable::flush_slice() {
  const TimePoint now = clock_.now();
  if (round_left_ == 0) {
    if (flush_queue_.empty() || resting(now)) return;
    round_left_ = flush_queue_.size();
    round_started_ = now;
    round_writes_ = 0;
    round_messages_ = 0;
  }
  for (std::size_t flushed = 0; flushed < kConnectionsFlushedPerTurn && round_left_ > 0; ++flushed) {
    const ConnectionId id = flush_queue_.front();
    flush_queue_.pop_front();
    --round_left_;
    Connection* connection = find(id);
    if (connection == nullptr) continue;
    if (const std::size_t messages = connection->queued_output_messages(); messages > 0) {
      ++round_writes_;
      round_messages_ += messages;
    }
    connection->flush();
  }
  if (round_left_ > 0) return;
  const TimePoint ended = clock_.now();
  next_round_at_ = pacer_.next_round_at(round_ended_, round_started_, ended, round_writes_, round_messages_);
  round_ended_ = ended;
  if (next_round_at_ > ended) {
    ++rests_.count;
    rests_.total += next_round_at_ - ended;
  }
}

void ConnectionTable::forget_pending_work() {
  flush_queue_.clear();
  round_left_ = 0;
  read_again_.clear();
}

}  // namespace chatroom
