// Runs the real chatroomd binary on an ephemeral loopback port, with its stdin on a pipe (the
// console) and its stdout in a file, and kills it if a test ends early.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/unique_fd.hpp"
#include "support/temp_dir.hpp"

namespace chatroom::testing {

// The path of the chatroomd under test, from the CHATROOMD environment variable set by meson.
std::string chatroomd_path();

class DaemonProcess {
 public:
  // Starts chatroomd with `--port 0 --port-file ...` plus `extra_args`, and waits until it
  // listens. Unless `extra_args` sets them, `--history 0 --announce-max-room 0` keep room
  // history and join/leave notices out of tests about other things. Fails the test (throws) if it does not within a few seconds.
  // `environment` entries ("NAME=value") are added to the daemon's environment.
  // `descriptor_limit`, when set, becomes both the soft and hard RLIMIT_NOFILE of the daemon.
  // `launcher`, when given, is a program (full path) and arguments chatroomd runs under, such
  // as valgrind.
  explicit DaemonProcess(std::vector<std::string> extra_args = {}, std::vector<std::string> environment = {},
                         std::optional<unsigned long> descriptor_limit = std::nullopt,
                         std::vector<std::string> launcher = {});
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }

  void write_console(const std::string& text);
  void close_console();
  void send_signal(int signo);

  // The exit status as from waitpid, or nullopt if it is still running after `timeout`.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  // Open descriptors, from /proc/PID/fd.
  [[nodiscard]] std::size_t open_descriptors() const;
  // User plus system CPU time consumed so far, from /proc.
  [[nodiscard]] double cpu_seconds() const;
  // Resident memory now, from /proc (VmRSS).
  [[nodiscard]] std::size_t resident_bytes() const;
  // Everything chatroomd has logged to stdout so far.
  [[nodiscard]] std::string log() const;
  // Waits until the log contains `text`; false after `timeout`.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  UniqueFd console_;
  std::uint16_t port_ = 0;
  bool reaped_ = false;
};

}  // namespace chatroom::testing
