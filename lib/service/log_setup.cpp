// spdlog set-up. The syslog priority comes from a custom pattern flag, so journal lines are
// formatted by spdlog like any other and cost nothing extra.
#include "service/log_setup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <stdexcept>

namespace chatroom {
namespace {

// "%*" in a pattern: the syslog priority of the message's level, as journald reads it.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
    const char* priority = "<6>";
    switch (message.level) {
      case spdlog::level::trace:
      case spdlog::level::debug:
        priority = "<7>";
        break;
      case spdlog::level::info:
        priority = "<6>";
        break;
      case spdlog::level::warn:
        priority = "<4>";
        break;
      case spdlog::level::err:
        priority = "<3>";
        break;
      case spdlog::level::critical:
        priority = "<2>";
        break;
      default:
        break;
    }
    out.append(priority, priority + 3);
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

}  // namespace

LogTarget parse_log_target(const std::string& text) {
  if (text == "auto") return LogTarget::Auto;
  if (text == "console") return LogTarget::Console;
  if (text == "journal") return LogTarget::Journal;
  throw std::invalid_argument("log target must be auto, console or journal, not '" + text + "'");
}

bool stdout_is_journal_stream() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat info {};
  if (::fstat(STDOUT_FILENO, &info) != 0) return false;
  return info.st_dev == device && info.st_ino == inode;
}

void configure_logging(const std::string& name, LogTarget target, spdlog::level::level_enum level) {
  const bool journal = target == LogTarget::Journal || (target == LogTarget::Auto && stdout_is_journal_stream());
  std::shared_ptr<spdlog::logger> logger;
  if (journal) {
    // journald stamps each line itself; a priority prefix is all it needs from us.
    logger = spdlog::stdout_logger_mt(name);
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%v");
    logger->set_formatter(std::move(formatter));
  } else {
    logger = spdlog::stdout_color_mt(name);
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

}  // namespace chatroom
