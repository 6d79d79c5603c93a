// The admin console's commands beyond \close: \who, \rooms, \kick, \stats and \help. Replies
// are lines of text for the admin's terminal.
#pragma once

#include <string>

#include "protocol/command_line.hpp"
#include "reactor/clock.hpp"
#include "server/chat_server.hpp"

namespace chatroom {

class AdminCommands {
 public:
  AdminCommands(const Clock& clock, ChatServer& server) : clock_(clock), server_(server), started_(clock.now()) {}

  // The reply to `command`, one or more lines each ending in "\n".
  [[nodiscard]] std::string run(const CommandLine& command);

 private:
  [[nodiscard]] std::string who() const;
  [[nodiscard]] std::string stats() const;
  [[nodiscard]] std::string kick(std::string_view argument);

  const Clock& clock_;
  ChatServer& server_;
  TimePoint started_;
};

}  // namespace chatroom
