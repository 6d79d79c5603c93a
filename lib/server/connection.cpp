// Reading, framing, queueing and flushing for one client.
#include "server/connection.hpp"

#include <algorithm>
#include <cerrno>

#include "net/socket_io.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

// At close, unread input is read away up to this much (see discard_unread_input).
constexpr std::size_t kMaxDiscardedAtCloseBytes = std::size_t{256} << 10;

}  // namespace

Connection::Connection(ConnectionId id, std::unique_ptr<Transport> transport, std::string name, Reactor& reactor,
                       ConnectionEvents& events, const ServerLimits& limits, ScratchBuffers& scratch)
    : Participant(std::move(name)),
      id_(id),
      transport_(std::move(transport)),
      reactor_(reactor),
      events_(events),
      limits_(limits),
      read_scratch_(scratch.read()),
      write_staging_(scratch.write_staging()),
      framer_(limits.max_line_bytes),
      flood_control_(limits.rate_limit_lines_per_s, limits.rate_burst_lines, limits.flood_disconnect_lines) {
  watch_ = reactor_.watch(transport_->fd(), WatchMode::EdgeTriggered, *this);
  if (limits_.idle_timeout.count() > 0) {
    last_input_at_ = reactor_.now();
    arm_idle_timer(limits_.idle_timeout);
  }
  if (limits_.keepalive_interval.count() > 0 && transport_->has_keepalive()) {
    arm_keepalive_timer();
  }
}

Connection::~Connection() {
  if (line_timer_) reactor_.cancel_timer(*line_timer_);
  if (soft_limit_timer_) reactor_.cancel_timer(*soft_limit_timer_);
  if (idle_timer_) reactor_.cancel_timer(*idle_timer_);
  if (keepalive_timer_) reactor_.cancel_timer(*keepalive_timer_);
  if (transport_) reactor_.unwatch(watch_);
}

bool Connection::has_output() const {
  return !output_.empty() || (transport_ && transport_->has_output_of_its_own());
}

void Connection::handle_io(IoEvents events) {
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

void Connection::read_within_budget() {
  waiting_for_read_turn_ = false;
  std::size_t budget = limits_.read_budget_bytes;
  while (state_ != State::Closed) {
    if (budget == 0) {
      waiting_for_read_turn_ = true;
      events_.on_read_budget_exhausted(*this);
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
        close(result.error == EPROTONOSUPPORT ? CloseReason::WrongProtocol
              : result.error == EPROTO        ? CloseReason::ProtocolError
                                              : CloseReason::ReadFailed);
        return;
    }
  }
}

void Connection::complete_unterminated_line() {
  if (state_ != State::Open) return;
  framer_.complete_partial_line(*this);
  track_partial_line();
}

void Connection::track_partial_line() {
  if (limits_.line_timeout.count() <= 0 || state_ != State::Open) return;
  // The clock runs from when the line now held began: restart it if a line was completed
  // since it started, or a client streaming long runs of lines would be cut off.
  const bool partial = framer_.mid_line();
  const bool new_partial = lines_framed_ != lines_framed_at_timer_start_;
  if (line_timer_ && (!partial || new_partial)) {
    reactor_.cancel_timer(*line_timer_);
    line_timer_.reset();
  }
  if (partial && !line_timer_) {
    lines_framed_at_timer_start_ = lines_framed_;
    line_timer_ = reactor_.run_after(limits_.line_timeout, [this] { on_line_timeout(); });
  }
}

void Connection::on_line_timeout() {
  line_timer_.reset();
  if (state_ != State::Open) return;
  cut_off(CloseReason::LineTimeout, SharedBytes::copy_of(line_timeout_notice(limits_.line_timeout)));
}

void Connection::arm_keepalive_timer() {
  keepalive_timer_ = reactor_.run_after(limits_.keepalive_interval, [this] {
    keepalive_timer_.reset();
    on_keepalive_timer();
  });
}

void Connection::on_keepalive_timer() {
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

void Connection::arm_idle_timer(Duration after) {
  idle_timer_ = reactor_.run_after(after, [this] { on_idle_timer(); });
}

void Connection::on_idle_timer() {
  idle_timer_.reset();
  if (state_ != State::Open) return;
  const Duration quiet_for = reactor_.now() - last_input_at_;
  if (quiet_for < limits_.idle_timeout) {
    arm_idle_timer(limits_.idle_timeout - quiet_for);
    return;
  }
  cut_off(CloseReason::IdleTimeout, SharedBytes::copy_of(idle_timeout_notice(limits_.idle_timeout)));
}

FeedControl Connection::on_line(std::string_view line) {
  ++lines_framed_;
  events_.on_line(*this, line);
  return state_ == State::Open ? FeedControl::Continue : FeedControl::Stop;
}

FeedControl Connection::on_line_too_long() {
  ++lines_framed_;
  events_.on_line_too_long(*this);
  return state_ == State::Open ? FeedControl::Continue : FeedControl::Stop;
}

void Connection::deliver(const SharedBytes& message) {
  if (state_ != State::Open || half_close_requested_) return;
  if (output_.queued_bytes() + message.size() > limits_.max_output_bytes) {
    // Output normally waits for the end of the turn; one turn's reads can queue more than a
    // small limit for a client that reads perfectly well. Write now, and cut it off only if
    // the kernel will not take enough.
    if (writable_) flush();
    if (state_ != State::Open) return;
    if (output_.queued_bytes() + message.size() > limits_.max_output_bytes) {
      cut_off(CloseReason::OutputLimitExceeded, slow_consumer_notice(output_.queued_bytes()));
      return;
    }
  }
  output_.push(message);
  track_soft_output_limit();
  request_flush();
}

void Connection::track_soft_output_limit() {
  if (limits_.soft_max_output_bytes == 0 || state_ == State::Closed) return;
  const bool above = output_.queued_bytes() > limits_.soft_max_output_bytes;
  if (above && !soft_limit_timer_) {
    soft_limit_timer_ = reactor_.run_after(limits_.soft_output_period, [this] {
      soft_limit_timer_.reset();
      if (output_.queued_bytes() > limits_.soft_max_output_bytes) {
        cut_off(CloseReason::SoftOutputLimitExceeded, slow_consumer_notice(output_.queued_bytes()));
      }
    });
  } else if (!above && soft_limit_timer_) {
    reactor_.cancel_timer(*soft_limit_timer_);
    soft_limit_timer_.reset();
  }
}

void Connection::request_flush() {
  if (flush_requested_ || !writable_) return;
  flush_requested_ = true;
  events_.on_flush_needed(*this);
}

Connection::WriteOutcome Connection::write_queued_output() {
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

void Connection::flush() {
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
  if (state_ == State::Draining && !has_output()) close(CloseReason::ServerShutdown);
  shut_write_side_if_done();
}

void Connection::half_close_after_flush() {
  half_close_requested_ = true;
  shut_write_side_if_done();
}

void Connection::shut_write_side_if_done() {
  if (!half_close_requested_ || write_side_shut_ || state_ == State::Closed || has_output()) return;
  transport_->shut_down_write();
  write_side_shut_ = true;
}

void Connection::close_after_flush() {
  if (state_ != State::Open) return;
  state_ = State::Draining;
  if (!has_output()) {
    close(CloseReason::ServerShutdown);
  } else {
    request_flush();
  }
}

void Connection::cut_off(CloseReason reason, const SharedBytes& notice) {
  if (state_ == State::Closed) return;
  // A draining connection's last word is the shutdown's "\close" already queued.
  if (state_ == State::Open && !write_side_shut_) {
    // Past any output limit on purpose: it is the last thing this client is sent.
    output_.push(notice);
    if (writable_) write_queued_output();
  }
  close(reason, notice.view());
}

void Connection::close(CloseReason reason, std::string_view notice) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  mark_gone();
  if (line_timer_) reactor_.cancel_timer(*line_timer_);
  line_timer_.reset();
  if (soft_limit_timer_) reactor_.cancel_timer(*soft_limit_timer_);
  soft_limit_timer_.reset();
  if (idle_timer_) reactor_.cancel_timer(*idle_timer_);
  idle_timer_.reset();
  if (keepalive_timer_) reactor_.cancel_timer(*keepalive_timer_);
  keepalive_timer_.reset();
  if (!write_side_shut_) {
    transport_->say_farewell(farewell_for(reason, notice));
    transport_->shut_down_write();
  }
  discard_unread_input(transport_->fd(), read_scratch_, kMaxDiscardedAtCloseBytes);
  reactor_.unwatch(watch_);
  transport_.reset();
  events_.on_closed(*this, reason);
  output_.clear();
}

}  // namespace chatroom
