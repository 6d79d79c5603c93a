// How a client session flows, and how it ends.
#include "client/chat_client.hpp"

#include "protocol/line_kind.hpp"
#include "protocol/server_line.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

// What the user is told when the stream ends without the server's "\close".
const char* why_lost(CloseReason reason) {
  switch (reason) {
    case CloseReason::PeerClosed:
      return "the server closed it";
    case CloseReason::WriteFailed:
      return "write failed";
    case CloseReason::BrokeTls:
      return "the server broke the TLS protocol";
    default:
      return "read failed";
  }
}

}  // namespace

ChatClient::ChatClient(Reactor& reactor, std::unique_ptr<Transport> transport, ChatDisplay& display,
                       ClientLimits limits)
    : reactor_(reactor), display_(display), limits_(limits), scratch_(std::size_t{64} << 10) {
  stream_limits_.max_line_bytes = limits_.max_incoming_line_bytes;
  stream_limits_.read_budget_bytes = std::size_t{64} << 10;  // one server: no one to be fair to
  stream_limits_.line_timeout = std::chrono::milliseconds(0);  // a server may pause mid-line
  stream_limits_.soft_max_output_bytes = 0;                    // input backpressure instead
  // Above the pause threshold: input stops long before this could cut us off.
  stream_limits_.max_output_bytes = limits_.input_pause_bytes * 16;
  LineStreamEvents& events = *this;
  stream_ = std::make_unique<LineStream>(std::move(transport), reactor_, events, stream_limits_, scratch_);
  reactor_.add_turn_hook(*this, TurnPhase::Clients);
}

ChatClient::~ChatClient() {
  if (goodbye_timer_) reactor_.cancel_timer(*goodbye_timer_);
  if (unterminated_line_timer_) reactor_.cancel_timer(*unterminated_line_timer_);
}

void ChatClient::on_user_line(std::string_view line) {
  if (outcome_ != Outcome::Running || leaving_) return;
  switch (classify_line(line)) {
    case LineKind::Blank:
      return;
    case LineKind::Close:
      stream_->queue(SharedBytes::copy_of(std::string(kCloseCommand) + "\n"));
      leave();
      return;
    case LineKind::Text: {
      std::string message(line);
      message.push_back('\n');
      stream_->queue(SharedBytes::copy_of(message));
      apply_backpressure();
      return;
    }
  }
}

void ChatClient::on_user_end() { leave(); }

void ChatClient::leave() {
  if (leaving_ || outcome_ != Outcome::Running) return;
  leaving_ = true;
  stream_->half_close_after_flush();
  goodbye_timer_ = reactor_.run_after(limits_.goodbye_timeout, [this] {
    goodbye_timer_.reset();
    stream_->close(CloseReason::ClientLeft);
  });
}

void ChatClient::apply_backpressure() {
  if (input_ == nullptr) return;
  const std::size_t queued = stream_->queued_output_bytes();
  if (!input_paused_ && queued > limits_.input_pause_bytes) {
    input_paused_ = true;
    input_->pause();
  } else if (input_paused_ && queued < limits_.input_pause_bytes / 4) {
    input_paused_ = false;
    input_->resume();
  }
}

void ChatClient::on_line(std::string_view line) {
  if (!first_line_seen_) {
    first_line_seen_ = true;
    if (const std::size_t welcome = glued_welcome_length(line); welcome > 0) {
      show_server_line(line.substr(0, welcome));
      line.remove_prefix(welcome);
    }
  }
  show_server_line(line);
}

void ChatClient::show_server_line(std::string_view line) {
  const ServerLine parsed = parse_server_line(line);
  switch (parsed.kind) {
    case ServerLine::Kind::Chat:
      display_.show({DisplayLine::Kind::Chat, parsed.sender, parsed.text, parsed.sent_at});
      break;
    case ServerLine::Kind::Private:
      display_.show({DisplayLine::Kind::Private, parsed.sender, parsed.text, parsed.sent_at});
      break;
    case ServerLine::Kind::PrivateEcho:
      display_.show({DisplayLine::Kind::PrivateEcho, parsed.sender, parsed.text, parsed.sent_at});
      break;
    case ServerLine::Kind::Info:
      display_.show({DisplayLine::Kind::Notice, {}, parsed.text, parsed.sent_at});
      if (parsed.text == kPasswordNeededNotice) send_password();
      break;
    case ServerLine::Kind::Welcome:
    case ServerLine::Kind::Other:
      display_.show({DisplayLine::Kind::Notice, {}, parsed.text, parsed.sent_at});
      break;
    case ServerLine::Kind::Notice:
      display_.show({DisplayLine::Kind::Error, {}, parsed.text, parsed.sent_at});
      break;
    case ServerLine::Kind::Close:
      server_sent_close_ = true;
      break;
  }
  if (session_.observe(parsed)) display_.session_changed();
}

void ChatClient::send_password() {
  if (!password_source_) return;
  const std::optional<std::string> password = password_source_();
  if (!password) return;
  std::string command("\\pass ");
  command.append(*password).push_back('\n');
  stream_->queue(SharedBytes::copy_of(command));
}

void ChatClient::on_line_too_long() {
  // Said here, never to the server: whatever we send it is chat for everyone.
  display_.show({DisplayLine::Kind::Error, {},
                 "a line from the server longer than " + std::to_string(limits_.max_incoming_line_bytes) +
                     " bytes was dropped",
                 {}});
}

void ChatClient::on_closed(CloseReason reason, std::string_view /*detail*/) {
  // The daemon sends "\close" without a newline just before closing.
  if (stream_->unterminated_input() == kCloseCommand) server_sent_close_ = true;
  if (server_sent_close_) {
    display_.show({DisplayLine::Kind::Notice, {}, "server closed the chat room", {}});
    finish(Outcome::ServerClosedRoom);
  } else if (leaving_) {
    finish(Outcome::Left);
  } else {
    const std::string why = std::string("connection to server lost: ") + why_lost(reason);
    display_.show({DisplayLine::Kind::Error, {}, why, {}});
    finish(Outcome::ConnectionLost);
  }
}

void ChatClient::finish(Outcome outcome) {
  if (outcome_ != Outcome::Running) return;
  outcome_ = outcome;
  if (goodbye_timer_) reactor_.cancel_timer(*goodbye_timer_);
  goodbye_timer_.reset();
  if (unterminated_line_timer_) reactor_.cancel_timer(*unterminated_line_timer_);
  unterminated_line_timer_.reset();
  reactor_.stop();
}

void ChatClient::watch_unterminated_line() {
  if (outcome_ != Outcome::Running) return;
  const std::uint64_t received = stream_->bytes_received();
  const bool more_came = received != bytes_received_when_watched_;
  bytes_received_when_watched_ = received;
  const bool mid_line = !stream_->unterminated_input().empty();
  if (unterminated_line_timer_ && (!mid_line || more_came)) {
    reactor_.cancel_timer(*unterminated_line_timer_);
    unterminated_line_timer_.reset();
  }
  if (mid_line && !unterminated_line_timer_) {
    unterminated_line_timer_ = reactor_.run_after(limits_.unterminated_line_delay, [this] {
      unterminated_line_timer_.reset();
      stream_->complete_unterminated_line();
    });
  }
}

void ChatClient::end_of_turn() {
  if (read_again_) {
    read_again_ = false;
    stream_->read_within_budget();
  }
  watch_unterminated_line();
  if (flush_needed_) {
    flush_needed_ = false;
    stream_->flush();
    apply_backpressure();
  }
}

}  // namespace chatroom
