// Runs the real chatroom client with its stdin on a pipe and its stdout/stderr in a file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "net/unique_fd.hpp"
#include "support/temp_dir.hpp"

namespace chatroom::testing {

// The path of the chatroom client under test, from the CHATROOM_CLIENT environment variable.
std::string chatroom_client_path();

class ClientProcess {
 public:
  explicit ClientProcess(std::vector<std::string> args);
  // Runs `program` (a path, or a name looked up in PATH) instead: openssl s_client, python3.
  ClientProcess(const std::string& program, std::vector<std::string> args);
  ~ClientProcess();
  ClientProcess(const ClientProcess&) = delete;
  ClientProcess& operator=(const ClientProcess&) = delete;

  void type(const std::string& text);
  void close_input();
  // The exit status as from waitpid, or nullopt if it is still running after `timeout`.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  [[nodiscard]] std::string output() const;
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  UniqueFd input_;
  bool reaped_ = false;
};

}  // namespace chatroom::testing
