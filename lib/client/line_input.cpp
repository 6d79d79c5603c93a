// Reading lines from a pipe or file, one read per readiness so the descriptor (shared with
// whoever started us) can stay blocking.
#include "client/line_input.hpp"

#include <array>
#include <cerrno>
#include <system_error>

#include "net/socket_io.hpp"

namespace chatroom {

LineInput::LineInput(Reactor& reactor, int fd, UserInputEvents& events, std::size_t max_line_bytes)
    : reactor_(reactor), fd_(fd), events_(events), framer_(max_line_bytes) {
  reactor_.add_turn_hook(*this, TurnPhase::Clients);
  watch();
}

LineInput::~LineInput() { unwatch(); }

void LineInput::watch() {
  if (watching_ || unpollable_) return;
  try {
    watch_ = reactor_.watch(fd_, WatchMode::LevelTriggeredRead, *this);
    watching_ = true;
  } catch (const std::system_error& error) {
    if (error.code().value() != EPERM) throw;
    unpollable_ = true;
  }
}

void LineInput::unwatch() {
  if (!watching_) return;
  reactor_.unwatch(watch_);
  watching_ = false;
}

void LineInput::pause() {
  paused_ = true;
  unwatch();
}

void LineInput::resume() {
  if (!paused_ || ended_) return;
  paused_ = false;
  watch();
}

void LineInput::handle_io(IoEvents) { read_once(); }

void LineInput::end_of_turn() {
  if (reads_every_turn()) read_once();
}

void LineInput::read_once() {
  std::array<char, 16384> buffer{};
  const IoResult result = read_some(fd_, buffer);
  if (result.is_transferred()) {
    framer_.feed({buffer.data(), result.bytes}, *this);
    return;
  }
  if (result.is_would_block()) return;
  // End of input, or an error reading it: either way there is no more to send. A last line
  // without a newline is still a line.
  ended_ = true;
  unwatch();
  if (framer_.buffered_bytes() > 0) framer_.feed("\n", *this);
  events_.on_user_end();
}

FeedControl LineInput::on_line(std::string_view line) {
  events_.on_user_line(line);
  return FeedControl::Continue;
}

FeedControl LineInput::on_line_too_long() {
  // Far past any server's line limit (the framer's limit is set high): not a chat message.
  return FeedControl::Continue;
}

}  // namespace chatroom
