// The admin console's commands beyond \close: \who, \rooms, \kick, \stats, \nodes, \reload and \help.
// Replies are lines of text for the admin's terminal. On a node of a cluster they answer for
// the whole cluster.
#pragma once

#include <string>

#include "cluster/cluster_node.hpp"
#include "protocol/command_line.hpp"
#include "reactor/clock.hpp"
#include "server/chat_server.hpp"
#include "server/server_secrets.hpp"

namespace chatroom {

class AdminCommands {
 public:
  // `cluster` is null for a node on its own; `secrets` null where nothing can be reloaded.
  AdminCommands(const Clock& clock, ChatServer& server, ClusterNode* cluster = nullptr,
                ServerSecrets* secrets = nullptr)
      : clock_(clock), server_(server), cluster_(cluster), secrets_(secrets), started_(clock.now()) {}

  // The reply to `command`, one or more lines each ending in "\n".
  [[nodiscard]] std::string run(const CommandLine& command);

 private:
  [[nodiscard]] std::string who() const;
  [[nodiscard]] std::string stats() const;
  [[nodiscard]] std::string kick(std::string_view argument);
  [[nodiscard]] std::string nodes() const;
  [[nodiscard]] std::string cluster_stats() const;

  const Clock& clock_;
  ChatServer& server_;
  ClusterNode* cluster_;
  ServerSecrets* secrets_;
  TimePoint started_;
};

}  // namespace chatroom
