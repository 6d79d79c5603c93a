// One client socket: reads and frames its lines, queues and flushes its output, and closes
// itself on error. It never frees itself: its owner learns of the close through
// ConnectionEvents and destroys it after the current loop turn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "buffer/output_queue.hpp"
#include "buffer/scratch_buffers.hpp"
#include "chat/participant.hpp"
#include "protocol/line_framer.hpp"
#include "reactor/reactor.hpp"
#include "server/close_reason.hpp"
#include "server/server_limits.hpp"
#include "server/flood_control.hpp"
#include "transport/transport.hpp"

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
  // The read budget ran out with input possibly left: read again next turn, since an
  // edge-triggered socket will not be announced again.
  virtual void on_read_budget_exhausted(Connection& connection) = 0;
  virtual void on_closed(Connection& connection, CloseReason reason) = 0;

 protected:
  ~ConnectionEvents() = default;
};

class Connection final : public Participant, private IoHandler, private LineSink {
 public:
  enum class State {
    Open,
    Draining,  // flushing its last output; input is discarded
    Closed,
  };

  // `scratch` is memory shared by all connections for reads and writes; it must outlive this one.
  Connection(ConnectionId id, std::unique_ptr<Transport> transport, std::string name, Reactor& reactor, ConnectionEvents& events,
             const ServerLimits& limits, ScratchBuffers& scratch);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  [[nodiscard]] ConnectionId id() const { return id_; }
  // "ip:port": the client's identity in the logs, whatever nickname it takes.
  [[nodiscard]] const std::string& name() const { return address(); }
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] std::size_t queued_output_bytes() const { return output_.queued_bytes(); }
  // Counts this connection's queued output in `tally` too (the server's total output limit).
  void count_output_in(OutputTally& tally) { output_.count_in(tally); }
  // Writes (sendmsg calls, or TLS records) made so far: with batching, far fewer than messages delivered.
  [[nodiscard]] std::uint64_t write_calls() const { return write_calls_; }
  [[nodiscard]] std::uint64_t bytes_received() const { return bytes_received_; }
  [[nodiscard]] std::uint64_t bytes_sent() const { return bytes_sent_; }

  // Flood control state, applied by the server to chat lines.
  FloodControl& flood_control() { return flood_control_; }

  // Queues a message; a client whose queue would pass max_output_bytes is closed instead.
  void deliver(const SharedBytes& message) override;

  // Reads at most read_budget_bytes, framing lines as they arrive. When the budget runs out the
  // owner is told once, and new readable edges are ignored until the owner calls this again:
  // a connection gets one budget per turn, however often the kernel announces more input.
  void read_within_budget();
  // Writes queued output until it is all sent or the socket would block.
  void flush();
  // Stops reading and closes once the queued output is written.
  void close_after_flush();
  // Sends FIN once the queued output is written, but keeps reading until the peer closes:
  // a client's clean goodbye, which lets the server read everything it was sent.
  void half_close_after_flush();
  // Bytes received after the last newline (e.g. a final "\close" sent without one).
  [[nodiscard]] std::string_view unterminated_input() const { return framer_.buffered(); }
  // Hands the unterminated input to the owner as a line of its own.
  void complete_unterminated_line();
  // `notice`, when given, is the line that told the client why; protocols that can say why
  // in their own close (WebSocket) say it there too.
  void close(CloseReason reason, std::string_view notice = {});
  // Closes with a last word: `notice` goes behind whatever is still queued, and the queue is
  // written once more, as far as the kernel takes it without waiting; the rest is dropped. So
  // a client cut off learns why, unless it has stopped reading altogether.
  void cut_off(CloseReason reason, const SharedBytes& notice);

 private:
  void handle_io(IoEvents events) override;
  FeedControl on_line(std::string_view line) override;
  FeedControl on_line_too_long() override;

  void request_flush();
  enum class WriteOutcome { AllWritten, WouldBlock, Failed };
  // Writes queued output until it is all sent or the socket would block; never closes.
  WriteOutcome write_queued_output();
  void shut_write_side_if_done();
  // Starts the line timer when a partial line begins, stops it when no partial is held.
  void track_partial_line();
  void on_line_timeout();
  // Arms the idle check to fire `after` from now.
  void arm_idle_timer(Duration after);
  void on_idle_timer();
  void arm_keepalive_timer();
  void on_keepalive_timer();
  // Output queued, or the transport's own (a WebSocket pong or close).
  [[nodiscard]] bool has_output() const;
  // Starts the soft-limit clock when the queue rises above the soft limit, stops it below.
  void track_soft_output_limit();

  ConnectionId id_;
  // Null once closed: the socket went with it.
  std::unique_ptr<Transport> transport_;
  Reactor& reactor_;
  ConnectionEvents& events_;
  const ServerLimits& limits_;
  std::span<char> read_scratch_;
  std::span<char> write_staging_;
  WatchId watch_;
  LineFramer framer_;
  OutputQueue output_;
  State state_ = State::Open;
  // Edge-triggered readiness we have been told about and not yet used up.
  bool writable_ = true;
  bool flush_requested_ = false;
  // The read budget ran out and the owner will call read_within_budget on the next turn.
  bool waiting_for_read_turn_ = false;
  FloodControl flood_control_;
  std::optional<TimerId> line_timer_;
  std::optional<TimerId> soft_limit_timer_;
  // The idle check is a timer that, when it fires early because input came in since it was
  // armed, re-arms itself for the rest of the period: reads only store a time.
  std::optional<TimerId> idle_timer_;
  // Every keepalive_interval, for transports with a keep-alive probe (WebSocket ping).
  std::optional<TimerId> keepalive_timer_;
  TimePoint last_input_at_{};
  std::uint64_t lines_framed_ = 0;
  std::uint64_t lines_framed_at_timer_start_ = 0;
  bool half_close_requested_ = false;
  bool write_side_shut_ = false;
  std::uint64_t write_calls_ = 0;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t bytes_sent_ = 0;
};

}  // namespace chatroom
