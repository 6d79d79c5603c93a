// A chat client's connection: a LineStream (its socket's lines) that is a member of the chat
// (a Participant the rooms deliver to), with flood control for its lines, the session of the
// protocol it speaks (what its lines mean), and that protocol's words for why it is cut off.
// Its owner learns what happens through ConnectionEvents and destroys it after the loop turn
// in which it closed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "buffer/scratch_buffers.hpp"
#include "chat/participant.hpp"
#include "reactor/reactor.hpp"
#include "server/flood_control.hpp"
#include "server/server_limits.hpp"
#include "server/session.hpp"
#include "server/wording.hpp"
#include "transport/line_stream.hpp"

namespace chatroom {

using ConnectionId = std::uint64_t;
class Connection;

// What a connection tells its owner. Calls happen inside the connection's own methods, so the
// owner must not destroy the connection from within them.
class ConnectionEvents {
 public:
  virtual void on_line(Connection& connection, std::string_view line) = 0;
  // A line longer than max_line_bytes was dropped.
  virtual void on_line_too_long(Connection& connection) = 0;
  // The connection has output and the socket is writable: flush it at the end of this turn.
  virtual void on_flush_needed(Connection& connection) = 0;
  // The read budget ran out with input possibly left: read it again next turn.
  virtual void on_read_budget_exhausted(Connection& connection) = 0;
  // `detail`: the words the close was given (a kick's reason), else empty.
  virtual void on_closed(Connection& connection, CloseReason reason, std::string_view detail) = 0;

 protected:
  ~ConnectionEvents() = default;
};

class Connection final : public Participant, private LineStreamEvents {
 public:
  using State = LineStream::State;

  // `scratch` is memory shared by all connections for reads and writes; it, `limits` and
  // `wording` (how its protocol says what the server tells it) must outlive this one.
  Connection(ConnectionId id, std::unique_ptr<Transport> transport, std::string address, Reactor& reactor,
             ConnectionEvents& events, const ServerLimits& limits, ScratchBuffers& scratch, const Wording& wording);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] ConnectionId id() const { return id_; }
  // "ip:port": the client's identity in the logs, whatever nickname it takes.
  [[nodiscard]] const std::string& name() const { return address(); }
  [[nodiscard]] State state() const { return stream_.state(); }
  [[nodiscard]] int fd() const { return stream_.fd(); }
  [[nodiscard]] std::size_t queued_output_bytes() const { return stream_.queued_output_bytes(); }
  [[nodiscard]] std::size_t queued_output_messages() const { return stream_.queued_output_messages(); }
  // Counts this connection's queued output in `tally` too (the server's total output limit).
  void count_output_in(OutputTally& tally) { stream_.count_output_in(tally); }
  [[nodiscard]] std::uint64_t write_calls() const { return stream_.write_calls(); }
  [[nodiscard]] std::uint64_t bytes_received() const { return stream_.bytes_received(); }
  [[nodiscard]] std::uint64_t bytes_sent() const { return stream_.bytes_sent(); }

  // Flood control state, applied by the server to chat lines.
  FloodControl& flood_control() { return flood_control_; }

  // What its lines mean; set once, when it is admitted.
  void set_session(std::unique_ptr<Session> session) { session_ = std::move(session); }
  [[nodiscard]] Session& session() { return *session_; }
  [[nodiscard]] const Wording& wording() const { return wording_; }

  // Queues a message; a client whose queue would pass max_output_bytes is cut off instead.
  void deliver(const SharedBytes& message) override { stream_.queue(message); }
  void on_entered(const Room& room) override {
    if (session_) session_->on_entered(room);
  }
  void on_left(const Room& room, Leaving how, std::string_view why) override {
    if (session_) session_->on_left(room, how, why);
  }
  void on_renamed(std::string_view old_name) override {
    if (session_) session_->on_renamed(old_name);
  }
  [[nodiscard]] std::string_view away_message() const override {
    return session_ ? session_->away_message() : std::string_view();
  }
  [[nodiscard]] bool hears_away_changes() const override { return session_ && session_->hears_away_changes(); }
  void on_nickname_refused(std::string_view name) override {
    if (session_) session_->on_nickname_refused(name);
  }

  void read_within_budget() { stream_.read_within_budget(); }
  void flush() { stream_.flush(); }
  // The graceful shutdown: input is dropped from now on, and the connection closes once what
  // is queued (the "\close") is written.
  void discard_input_and_close_when_flushed() {
    stream_.discard_input_and_close_when_flushed(CloseReason::ServerShutdown);
  }
  // Ends the connection with `last_words` (its protocol's own: IRC's answer to QUIT); `detail`
  // as cut_off's.
  void close_with(CloseReason reason, const SharedBytes& last_words, std::string_view detail = {}) {
    stream_.cut_off(reason, last_words, detail);
  }
  // Closes at once, telling the client nothing more than its queue already holds.
  void close(CloseReason reason) { stream_.close(reason); }
  // Ends the connection with a last word that tells the client why, as far as the kernel
  // takes it without waiting (see LineStream::cut_off). `detail`: a kick's words.
  void cut_off(CloseReason reason, std::string_view detail = {});

 private:
  // LineStreamEvents
  void on_line(std::string_view line) override { events_.on_line(*this, line); }
  void on_line_too_long() override { events_.on_line_too_long(*this); }
  void on_input_framed() override {
    if (session_) session_->on_input_framed();
  }
  void on_flush_needed() override { events_.on_flush_needed(*this); }
  void on_read_budget_exhausted() override { events_.on_read_budget_exhausted(*this); }
  void on_limit_passed(CloseReason reason) override { cut_off(reason); }
  [[nodiscard]] Farewell farewell_for(CloseReason reason, std::string_view notice) const override;
  void on_closed(CloseReason reason, std::string_view detail) override;

  // What tells the client why it is cut off; empty when it is told nothing.
  [[nodiscard]] std::string notice_for(CloseReason reason, std::string_view detail) const;

  ConnectionId id_;
  ConnectionEvents& events_;
  const ServerLimits& limits_;
  const Wording& wording_;
  FloodControl flood_control_;
  LineStream stream_;
  // Last, so it goes first: it may still speak of the connection as it is destroyed.
  std::unique_ptr<Session> session_;
};

}  // namespace chatroom
