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
  for (std::size_t flushed = 0; flushed < kConnectionsFlushedPerTurn && !flush_queue_.empty(); ++flushed) {
    const ConnectionId id = flush_queue_.front();
    flush_queue_.pop_front();
    if (Connection* connection = find(id)) connection->flush();
  }
}

void ConnectionTable::forget_pending_work() {
  flush_queue_.clear();
  read_again_.clear();
}

}  // namespace chatroom
