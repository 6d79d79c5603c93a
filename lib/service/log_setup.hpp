// Where and how chatroom's programs log: a terminal gets timestamps and colour; journald gets
// bare lines with syslog priority prefixes ("<4>"), so `journalctl -p warning` works.
#pragma once

#include <string>

#include <spdlog/common.h>

namespace chatroom {

enum class LogTarget {
  Auto,     // journal style when stdout is connected to journald (JOURNAL_STREAM), else console
  Console,
  Journal,
};

// Parses "auto", "console" or "journal"; throws std::invalid_argument otherwise.
LogTarget parse_log_target(const std::string& text);

// True when stdout is the stream journald gave us (JOURNAL_STREAM names its device and inode).
bool stdout_is_journal_stream();

// Installs the default logger `name` on stdout, flushed after every line.
void configure_logging(const std::string& name, LogTarget target, spdlog::level::level_enum level);

}  // namespace chatroom
