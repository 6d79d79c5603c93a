// Console input: level-triggered, one read per readiness, so the descriptor may stay blocking.
#include "server/console.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>
#include <system_error>

#include "net/socket_io.hpp"
#include "protocol/line_kind.hpp"

namespace chatroom {

Console::Console(Reactor& reactor, int fd, ConsoleCommands& commands, std::size_t max_line_bytes)
    : reactor_(reactor), fd_(fd), commands_(commands), framer_(max_line_bytes) {
  try {
    watch_ = reactor_.watch(fd_, WatchMode::LevelTriggeredRead, *this);
    watching_ = true;
  } catch (const std::system_error& error) {
    if (error.code().value() != EPERM) {
      spdlog::warn("console disabled: {}", error.what());
      return;
    }
    // epoll refuses regular files and /dev/null. Reading them never blocks, so take the whole
    // input now: a file of commands works, and /dev/null (systemd's stdin) ends at once.
    while (read_once()) {
    }
  }
}

Console::~Console() { stop_watching(); }

void Console::stop_watching() {
  if (!watching_) return;
  reactor_.unwatch(watch_);
  watching_ = false;
}

void Console::handle_io(IoEvents events) {
  if (!events.readable && !events.peer_hung_up && !events.error) return;
  if (!read_once()) stop_watching();
}

bool Console::read_once() {
  std::array<char, 4096> buffer{};
  const IoResult result = read_some(fd_, buffer);
  if (result.is_transferred()) {
    framer_.feed({buffer.data(), result.bytes}, *this);
    return true;
  }
  if (result.is_would_block()) return true;
  if (result.is_failed()) spdlog::warn("console read failed: {}", std::strerror(result.error));
  spdlog::info("console input ended; chatroomd keeps running (stop it with SIGTERM)");
  return false;
}

FeedControl Console::on_line(std::string_view line) {
  switch (classify_line(line)) {
    case LineKind::Blank:
      break;
    case LineKind::Close:
      commands_.on_console_close();
      break;
    case LineKind::Text:
      if (const auto command = parse_command(line)) {
        if (console_command(command->name) == ConsoleCommand::Close) {
          commands_.on_console_close();
        } else {
          commands_.on_console_command(*command);
        }
      } else {
        commands_.on_console_text(chat_text_of(line));
      }
      break;
  }
  return FeedControl::Continue;
}

FeedControl Console::on_line_too_long() {
  spdlog::warn("console line ignored: longer than {} bytes", framer_.max_line_bytes());
  return FeedControl::Continue;
}

}  // namespace chatroom
