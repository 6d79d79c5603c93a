// Reading, framing, queueing and flushing for one socket, and the stream's timers.
#include "transport/line_stream.hpp"

#include <algorithm>

#include "net/socket_io.hpp"

namespace chatroom {
namespace {

// At close, unread input is read away up to this much (see discard_unread_input).
constexpr std::size_t kMaxDiscardedAtCloseBytes = std::size_t{256} << 10;

}  // namespace

LineStream::LineStream(std::unique_ptr<Transport> transport, Reactor& reactor, LineStreamEvents& events,
                       const StreamLimits& limits, ScratchBuffers& scratch)
    : transport_(std::move(transport)),
      reactor_(reactor),
      events_(events),
      limits_(limits),
      read_scratch_(scratch.read()),
      write_staging_(scratch.write_staging()),
      framer_(limits.max_line_bytes) {
  watch_ = reactor_.watch(transport_->fd(), WatchMode::EdgeTriggered, *this);
  if (limits_.idle_timeout.count() > 0) {
    last_input_at_ = reactor_.now();
    arm_idle_timer(limits_.idle_timeout);
  }
  if (limits_.keepalive_interval.count() > 0 && transport_->has_keepalive()) arm_keepalive_timer();
}

LineStream::~LineStream() {
  cancel_timers();
  if (transport_) reactor_.unwatch(watch_);
}

void LineStream::cancel_timers() {
  for (std::optional<TimerId>* timer : {&line_timer_, &soft_limit_timer_, &idle_timer_, &keepalive_timer_}) {
    if (*timer) reactor_.cancel_timer(**timer);
    timer->reset();
  }
}

bool LineStream::has_output() const {
  return !output_.empty() || (transport_ && transport_->has_output_of_its_own());
}

void LineStream::handle_io(IoEvents events) {
  // With TLS either direction can wait for the other: a write may need the peer's next record
  // first, a read may need to send something before it can go on.
  const bool writing_may_continue =
      events.writable || (events.readable && transport_->writing_waits_for_readable());
  const bool reading_may_continue = events.readable || events.peer_hung_up || events.error ||
                                    (events.writable && transport_->reading_waits_for_writable());
  if (writing_may_continue) {
    writable_ = true;
    if (has_output()) request_flush();
  }
  // Waiting for its turn means the input is known to be there already; reading now would give
  // a flooder one budget per edge instead of one per turn.
  if (reading_may_continue && !waiting_for_read_turn_) read_within_budget();
}

void LineStream::read_within_budget() {
  waiting_for_read_turn_ = false;
  std::size_t budget = limits_.read_budget_bytes;
  while (state_ != State::Closed) {
    if (budget == 0) {
      waiting_for_read_turn_ = true;
      events_.on_read_budget_exhausted();
      return;
    }
    const std::span<char> into = read_scratch_.first(std::min(budget, read_scratch_.size()));
    const IoResult result = transport_->receive(into);
    switch (result.kind) {
      case IoResult::Kind::Transferred:
        budget -= result.bytes;
        bytes_received_ += result.bytes;
        if (idle_timer_) last_input_at_ = reactor_.now();
        if (state_ == State::Open) {
          framer_.feed({into.data(), result.bytes}, *this);
          events_.on_input_framed();
          track_partial_line();
        }
        if (transport_ && transport_->has_output_of_its_own()) request_flush();
        break;
      case IoResult::Kind::WouldBlock:
        // Reading may have made the transport answer (a WebSocket pong).
        if (transport_->has_output_of_its_own()) request_flush();
        return;
      case IoResult::Kind::EndOfFile:
        close(CloseReason::PeerClosed);
        return;
      case IoResult::Kind::Failed:
        close(close_reason_for(result.failure, /*reading=*/true));
        return;
    }
  }
}

void LineStream::complete_unterminated_line() {
  if (state_ != State::Open) return;
  framer_.complete_partial_line(*this);
  events_.on_input_framed();
  track_partial_line();
}

void LineStream::track_partial_line() {
  if (limits_.line_timeout.count() <= 0 || state_ != State::Open) return;
  // The clock runs from when the line now held began: restart it if a line was completed
  // since it started, or a peer streaming long runs of lines would be cut off.
  const bool partial = framer_.mid_line();
  const bool new_partial = lines_framed_ != lines_framed_at_timer_start_;
  if (line_timer_ && (!partial || new_partial)) {
    reactor_.cancel_timer(*line_timer_);
    line_timer_.reset();
  }
  if (partial && !line_timer_) {
    lines_framed_at_timer_start_ = lines_framed_;
    line_timer_ = reactor_.run_after(limits_.line_timeout, [this] {
      line_timer_.reset();
      if (state_ == State::Open) events_.on_limit_passed(CloseReason::LineTimeout);
    });
  }
}

void LineStream::arm_keepalive_timer() {
  keepalive_timer_ = reactor_.run_after(limits_.keepalive_interval, [this] {
    keepalive_timer_.reset();
    on_keepalive_timer();
  });
}

void LineStream::on_keepalive_timer() {
  if (state_ == State::Closed) return;
  switch (transport_->probe_liveness()) {
    case Liveness::Silent:
      close(CloseReason::NoPong);
      return;
    case Liveness::Alive:
      request_flush();
      arm_keepalive_timer();
      return;
    case Liveness::Unsupported:
      return;
  }
}

void LineStream::arm_idle_timer(Duration after) {
  idle_timer_ = reactor_.run_after(after, [this] { on_idle_timer(); });
}

void LineStream::on_idle_timer() {
  idle_timer_.reset();
  if (state_ != State::Open) return;
  const Duration quiet_for = reactor_.now() - last_input_at_;
  if (quiet_for < limits_.idle_timeout) {
    arm_idle_timer(limits_.idle_timeout - quiet_for);
    return;
  }
  events_.on_limit_passed(CloseReason::IdleTimeout);
}

FeedControl LineStream::on_line(std::string_view line) {
  ++lines_framed_;
  events_.on_line(line);
  return state_ == State::Open ? FeedControl::Continue : FeedControl::Stop;
}

FeedControl LineStream::on_line_too_long() {
  ++lines_framed_;
  events_.on_line_too_long();
  return state_ == State::Open ? FeedControl::Continue : FeedControl::Stop;
}

void LineStream::queue(const SharedBytes& bytes) {
  if (state_ != State::Open || half_close_requested_) return;
  if (output_.queued_bytes() + bytes.size() > limits_.max_output_bytes) {
    // Output normally waits for the end of the turn; one turn's reads can queue more than a
    // small limit for a peer that reads perfectly well. Write now, and give up on the peer
    // only if the kernel will not take enough.
    if (writable_) flush();
    if (state_ != State::Open) return;
    if (output_.queued_bytes() + bytes.size() > limits_.max_output_bytes) {
      events_.on_limit_passed(CloseReason::OutputLimitExceeded);
      return;
    }
  }
  output_.push(bytes);
  // The soft limit's bookkeeping only matters above it, or while its clock runs.
  if (limits_.soft_max_output_bytes != 0 &&
      (soft_limit_timer_ || output_.queued_bytes() > limits_.soft_max_output_bytes)) {
    track_soft_output_limit();
  }
  request_flush();
}

void LineStream::track_soft_output_limit() {
  if (limits_.soft_max_output_bytes == 0 || state_ == State::Closed) return;
  const bool above = output_.queued_bytes() > limits_.soft_max_output_bytes;
  if (above && !soft_limit_timer_) {
    soft_limit_timer_ = reactor_.run_after(limits_.soft_output_period, [this] {
      soft_limit_timer_.reset();
      if (output_.queued_bytes() > limits_.soft_max_output_bytes) {
        events_.on_limit_passed(CloseReason::SoftOutputLimitExceeded);
      }
    });
  } else if (!above && soft_limit_timer_) {
    reactor_.cancel_timer(*soft_limit_timer_);
    soft_limit_timer_.reset();
  }
}

void LineStream::request_flush() {
  if (flush_requested_ || !writable_) return;
  flush_requested_ = true;
  events_.on_flush_needed();
}

LineStream::WriteOutcome LineStream::write_queued_output() {
  while (has_output()) {
    const IoResult result = transport_->send(output_, write_staging_);
    ++write_calls_;
    if (result.is_transferred()) {
      bytes_sent_ += result.bytes;
      output_.consume(result.bytes);
    } else if (result.is_would_block()) {
      writable_ = false;  // an edge will say when the transport can go on
      return WriteOutcome::WouldBlock;
    } else {
      return WriteOutcome::Failed;
    }
  }
  return WriteOutcome::AllWritten;
}

void LineStream::flush() {
  flush_requested_ = false;
  if (state_ == State::Closed) return;
  switch (write_queued_output()) {
    case WriteOutcome::Failed:
      close(CloseReason::WriteFailed);
      return;
    case WriteOutcome::WouldBlock:
      track_soft_output_limit();
      return;
    case WriteOutcome::AllWritten:
      break;
  }
  track_soft_output_limit();
  if (state_ == State::Draining && !has_output()) close(drained_reason_);
  shut_write_side_if_done();
}

void LineStream::half_close_after_flush() {
  half_close_requested_ = true;
  shut_write_side_if_done();
}

void LineStream::shut_write_side_if_done() {
  if (!half_close_requested_ || write_side_shut_ || state_ == State::Closed || has_output()) return;
  transport_->shut_down_write();
  write_side_shut_ = true;
}

void LineStream::discard_input_and_close_when_flushed(CloseReason reason) {
  if (state_ != State::Open) return;
  state_ = State::Draining;
  drained_reason_ = reason;
  if (!has_output()) {
    close(reason);
  } else {
    request_flush();
  }
}

void LineStream::cut_off(CloseReason reason, const SharedBytes& notice, std::string_view detail) {
  if (state_ == State::Closed) return;
  // A draining stream's last word is already queued (the shutdown's "\close").
  if (state_ == State::Open && !write_side_shut_) {
    // Past any output limit on purpose: it is the last thing this peer is sent.
    output_.push(notice);
    if (writable_) write_queued_output();
  }
  close(reason, notice.view(), detail);
}

void LineStream::close(CloseReason reason, std::string_view notice, std::string_view detail) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  cancel_timers();
  if (!write_side_shut_) {
    transport_->say_farewell(events_.farewell_for(reason, notice));
    transport_->shut_down_write();
  }
  discard_unread_input(transport_->fd(), read_scratch_, kMaxDiscardedAtCloseBytes);
  reactor_.unwatch(watch_);
  transport_.reset();
  events_.on_closed(reason, detail);
  output_.clear();
}

}  // namespace chatroom
