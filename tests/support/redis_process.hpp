// A real redis-server for tests, on a free loopback port, with nothing saved to disk; stopped
// by pid (SIGKILL if the test ends early). It can be paused (SIGSTOP), resumed, and restarted
// on the same port, for the cluster's fault tests.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace chatroom::testing {

// Whether redis-server and redis-cli can be run (scripts/ensure-deps.sh installs them).
bool redis_available();
inline constexpr const char* kRedisMissing = "redis-server is not installed (scripts/ensure-deps.sh installs it)";

class RedisProcess {
 public:
  // Starts on `port`, or on a free one; waits until it answers PING.
  explicit RedisProcess(std::optional<std::uint16_t> port = std::nullopt, std::vector<std::string> extra_args = {});
  ~RedisProcess();
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  // "redis://127.0.0.1:PORT", as --cluster takes it.
  [[nodiscard]] std::string url() const;

  // Stops it (SIGKILL), and starts it again on the same port, empty.
  void kill();
  void restart();
  void pause();   // SIGSTOP
  void resume();  // SIGCONT
  // redis-cli's output for one command.
  std::string cli(const std::vector<std::string>& arguments) const;
  // A field of INFO, e.g. info_field("commandstats", "cmdstat_publish").
  std::string info_field(const std::string& section, const std::string& field) const;

 private:
  void start(std::uint16_t port);
  bool answers_ping() const;

  TempDir dir_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace chatroom::testing
