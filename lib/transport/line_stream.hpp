// One socket as a stream of lines, whoever is at the other end: reads within a budget and
// frames lines, queues output and flushes it in gathered writes, keeps the stream's timers
// (an unterminated line, silence, a keep-alive, a backlog above the soft limit) and closes.
// The server's Connection is this plus a chat member; the terminal client uses it alone.
// It never frees itself: its owner learns of the close through LineStreamEvents and destroys
// it after the current loop turn.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "buffer/output_queue.hpp"
#include "buffer/scratch_buffers.hpp"
#include "protocol/line_framer.hpp"
#include "reactor/reactor.hpp"
#include "transport/close_reason.hpp"
#include "transport/transport.hpp"

namespace chatroom {

struct StreamLimits {
  // Longest line the peer may send, excluding its "\n" or "\r\n".
  std::size_t max_line_bytes = 4096;
  // Output queued beyond which the peer is cut off at once as a slow consumer.
  std::size_t max_output_bytes = std::size_t{8} << 20;
  // Output the peer may keep queued for up to soft_output_period; staying above it longer
  // cuts it off too (Redis's soft client-output-buffer-limit). Zero disables it.
  std::size_t soft_max_output_bytes = std::size_t{2} << 20;
  std::chrono::milliseconds soft_output_period{10'000};
  // Bytes read per loop turn before the other streams get theirs. It bounds what one flooder
  // adds to a turn (its lines times its room's size), and so how long everyone else's lines
  // wait: 16 KiB, like Redis's per-read buffer, holds four maximum-length lines.
  std::size_t read_budget_bytes = std::size_t{16} << 10;
  // How long the peer may hold an unterminated line (slowloris); zero means forever.
  std::chrono::milliseconds line_timeout{30'000};
  // How long the peer may send nothing at all (not even a blank line); zero means forever.
  std::chrono::milliseconds idle_timeout{0};
  // For transports with a keep-alive (WebSocket pings): one probe this often; a peer that sent
  // nothing at all between two is closed. Zero: no probes.
  std::chrono::milliseconds keepalive_interval{30'000};
};

// What a stream tells its owner. Calls happen inside the stream's own methods, so the owner
// must not destroy the stream from within them.
class LineStreamEvents {
 public:
  virtual void on_line(std::string_view line) = 0;
  // A line longer than max_line_bytes was dropped.
  virtual void on_line_too_long() = 0;
  // Every line of the input read so far has been handed over (on_line), also when one of them
  // closed the stream: an owner that holds lines back to act on them together acts now.
  virtual void on_input_framed() {}
  // The stream has output and the socket is writable: flush it at the end of this turn.
  virtual void on_flush_needed() = 0;
  // The read budget ran out with input possibly left: read again next turn, since an
  // edge-triggered socket will not announce it again.
  virtual void on_read_budget_exhausted() = 0;
  // One of the stream's limits passed (a slow consumer, a line or idle timeout): the owner
  // tells the peer why, in its protocol, and ends the stream (cut_off, or close).
  virtual void on_limit_passed(CloseReason reason) = 0;
  // How the stream ends for a transport that can say why (a WebSocket close frame): `notice`
  // is the line the peer was last told about it, if any.
  [[nodiscard]] virtual Farewell farewell_for(CloseReason reason, std::string_view notice) const = 0;
  // The stream is closed; `detail` is what close() was given (a kick's words).
  virtual void on_closed(CloseReason reason, std::string_view detail) = 0;

 protected:
  ~LineStreamEvents() = default;
};

class LineStream final : private IoHandler, private LineSink {
 public:
  enum class State {
    Open,
    Draining,  // flushing its last output before a close; input is discarded
    Closed,
  };

  // `scratch` is memory shared by all streams of the loop; it and `limits` must outlive this.
  LineStream(std::unique_ptr<Transport> transport, Reactor& reactor, LineStreamEvents& events,
             const StreamLimits& limits, ScratchBuffers& scratch);
  ~LineStream();
  LineStream(const LineStream&) = delete;
  LineStream& operator=(const LineStream&) = delete;

  [[nodiscard]] State state() const { return state_; }
  // The socket, while the stream is open (-1 once closed).
  [[nodiscard]] int fd() const { return transport_ ? transport_->fd() : -1; }
  [[nodiscard]] std::size_t queued_output_bytes() const { return output_.queued_bytes(); }
  // Messages (broadcast lines, replies) queued and not yet written in full.
  [[nodiscard]] std::size_t queued_output_messages() const { return output_.queued_messages(); }
  // Counts this stream's queued output in `tally` too (a limit over all streams together).
  void count_output_in(OutputTally& tally) { output_.count_in(tally); }
  // Writes (sendmsg calls, or TLS records) made so far: with batching, far fewer than lines queued.
  [[nodiscard]] std::uint64_t write_calls() const { return write_calls_; }
  [[nodiscard]] std::uint64_t bytes_received() const { return bytes_received_; }
  [[nodiscard]] std::uint64_t bytes_sent() const { return bytes_sent_; }

  // Queues bytes for the next flush. Past max_output_bytes it writes what it can now and, if
  // the kernel will not take enough, tells the owner (on_limit_passed) instead of queueing.
  void queue(const SharedBytes& bytes);

  // Reads at most read_budget_bytes, framing lines as they arrive. When the budget runs out the
  // owner is told once, and new readable edges are ignored until the owner calls this again:
  // a stream gets one budget per turn, however often the kernel announces more input.
  void read_within_budget();
  // Writes queued output until it is all sent or the socket would block.
  void flush();
  // A graceful shutdown's end for this stream: input is read and dropped from now on, and the
  // stream closes with `reason` once its queued output is written.
  void discard_input_and_close_when_flushed(CloseReason reason);
  // Sends FIN once the queued output is written, but keeps reading until the peer closes:
  // a client's clean goodbye, which lets the server read everything it was sent.
  void half_close_after_flush();
  // Bytes received after the last newline (e.g. a final "\close" sent without one).
  [[nodiscard]] std::string_view unterminated_input() const { return framer_.buffered(); }
  // Hands the unterminated input to the owner as a line of its own.
  void complete_unterminated_line();
  // `notice`, when given, is the line that told the peer why (a protocol that can say why in
  // its own close, WebSocket, says it there too); `detail` goes to the owner's on_closed.
  void close(CloseReason reason, std::string_view notice = {}, std::string_view detail = {});
  // Closes with a last word: `notice` goes behind whatever is still queued, and the queue is
  // written once more, as far as the kernel takes it without waiting; the rest is dropped. So
  // a peer cut off learns why, unless it has stopped reading altogether.
  void cut_off(CloseReason reason, const SharedBytes& notice, std::string_view detail = {});

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
  void arm_idle_timer(Duration after);
  void on_idle_timer();
  void arm_keepalive_timer();
  void on_keepalive_timer();
  // Output queued, or the transport's own (a WebSocket pong or close).
  [[nodiscard]] bool has_output() const;
  // Starts the soft-limit clock when the queue rises above the soft limit, stops it below.
  void track_soft_output_limit();
  void cancel_timers();

  // Null once closed: the socket went with it.
  std::unique_ptr<Transport> transport_;
  Reactor& reactor_;
  LineStreamEvents& events_;
  const StreamLimits& limits_;
  std::span<char> read_scratch_;
  std::span<char> write_staging_;
  WatchId watch_;
  LineFramer framer_;
  OutputQueue output_;
  State state_ = State::Open;
  // What a draining stream closes with once flushed.
  CloseReason drained_reason_ = CloseReason::ServerShutdown;
  // Edge-triggered readiness we have been told about and not yet used up.
  bool writable_ = true;
  bool flush_requested_ = false;
  // The read budget ran out and the owner will call read_within_budget on the next turn.
  bool waiting_for_read_turn_ = false;
  bool half_close_requested_ = false;
  bool write_side_shut_ = false;
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
  std::uint64_t write_calls_ = 0;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t bytes_sent_ = 0;
};

}  // namespace chatroom
