// Admin command replies.
#include "service/admin_commands.hpp"

#include <cstdio>

#include "protocol/text_sanitizer.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kConsoleHelp =
    "console commands: \\who, \\rooms, \\kick NAME [REASON], \\stats, \\nodes, \\reload (TLS certificate and "
    "password, as SIGHUP does), \\help, \\close (shut down "
    "this node); any other line is broadcast to every room (of every node) as <server>\n";

std::string seconds_text(Duration duration) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.0f s", std::chrono::duration<double>(duration).count());
  return text;
}

}  // namespace

std::string AdminCommands::run(const CommandLine& command) {
  switch (console_command(command.name)) {
    case ConsoleCommand::Who:
      return who();
    case ConsoleCommand::Rooms:
      return "rooms: " + server_.hub().rooms_summary() + "\n";
    case ConsoleCommand::Kick:
      return kick(command.argument);
    case ConsoleCommand::Stats:
      return stats();
    case ConsoleCommand::Nodes:
      return nodes();
    case ConsoleCommand::Reload:
      return secrets_ != nullptr ? secrets_->reload() : "nothing to reload\n";
    case ConsoleCommand::Help:
    case ConsoleCommand::Close:  // handled by the console itself
      return std::string(kConsoleHelp);
    case ConsoleCommand::Unknown:
      break;
  }
  std::string shown = "unknown console command \\";
  append_sanitized(shown, command.name.substr(0, 40));
  return shown + " (try \\help)\n";
}

std::string AdminCommands::who() const {
  const auto clients = server_.client_reports();
  if (cluster_ == nullptr) {
    std::string text = std::to_string(clients.size()) + " clients\n";
    for (const ChatServer::ClientReport& client : clients) {
      char line[256];
      std::snprintf(line, sizeof(line), "  %-32s room %-32s %-47s queued %zu bytes, connected %s\n",
                    client.name.c_str(), client.room.c_str(), client.address.c_str(), client.queued_output_bytes,
                    seconds_text(client.connected_for).c_str());
      text += line;
    }
    return text;
  }
  const auto elsewhere = cluster_->roster().members();
  std::string text = std::to_string(clients.size() + elsewhere.size()) + " clients (" +
                     std::to_string(clients.size()) + " on this node, " + std::to_string(elsewhere.size()) +
                     " on others)\n";
  const std::string& here = cluster_->origin().node;
  for (const ChatServer::ClientReport& client : clients) {
    char line[384];
    std::snprintf(line, sizeof(line), "  %-32s room %-32s node %-24s %-47s queued %zu bytes, connected %s\n",
                  client.name.c_str(), client.room.c_str(), here.c_str(), client.address.c_str(),
                  client.queued_output_bytes, seconds_text(client.connected_for).c_str());
    text += line;
  }
  for (const RemoteRoster::MemberReport& member : elsewhere) {
    std::string rooms;
    for (const MemberEntry& seat : member.seats) rooms.append(rooms.empty() ? "" : ",").append(seat.room);
    char line[384];
    std::snprintf(line, sizeof(line), "  %-32s room %-32s node %s\n", member.entry.name.c_str(), rooms.c_str(),
                  member.node.c_str());
    text += line;
  }
  return text;
}

std::string AdminCommands::nodes() const {
  if (cluster_ == nullptr) return "not part of a cluster (see --cluster)\n";
  const auto others = cluster_->roster().nodes();
  std::string text = std::to_string(others.size() + 1) + " live nodes\n";
  char line[384];
  std::snprintf(line, sizeof(line), "  %-32s clients %-8zu this node, %s\n", cluster_->origin().node.c_str(),
                server_.client_count(), cluster_->connected() ? "connected" : "cut off from Redis");
  text += line;
  for (const RemoteRoster::NodeReport& node : others) {
    std::snprintf(line, sizeof(line), "  %-32s clients %-8llu last heard %s ago\n", node.origin.node.c_str(),
                  static_cast<unsigned long long>(node.load.clients),
                  seconds_text(clock_.now() - node.last_heard).c_str());
    text += line;
  }
  return text;
}

std::string AdminCommands::cluster_stats() const {
  const ClusterCounters& counters = cluster_->counters();
  const BusCounters bus = cluster_->bus_counters();
  const ServerStats here = server_.stats();
  std::uint64_t clients = server_.client_count();
  std::uint64_t messages = here.lines_broadcast;
  std::uint64_t deliveries = here.deliveries;
  const auto others = cluster_->roster().nodes();
  for (const RemoteRoster::NodeReport& node : others) {
    clients += node.load.clients;
    messages += node.load.messages;
    deliveries += node.load.deliveries;
  }
  char text[896];
  std::snprintf(text, sizeof(text),
                "cluster: %zu nodes, %llu clients, messages in %llu, deliveries out %llu (the others as of their last "
                "heartbeat); this node %s: lines published %llu, received %llu, "
                "dropped %llu (%llu while Redis was unreachable, %llu past --cluster-max-output), queued for Redis "
                "%zu bytes, invalid payloads ignored %llu, nodes lost %llu, names lost %llu, connects %llu\n",
                others.size() + 1, static_cast<unsigned long long>(clients), static_cast<unsigned long long>(messages),
                static_cast<unsigned long long>(deliveries),
                cluster_->connected() ? "connected" : "cut off from Redis",
                static_cast<unsigned long long>(counters.lines_published),
                static_cast<unsigned long long>(counters.lines_received),
                static_cast<unsigned long long>(bus.dropped_while_down + bus.dropped_over_limit),
                static_cast<unsigned long long>(bus.dropped_while_down),
                static_cast<unsigned long long>(bus.dropped_over_limit), bus.queued_bytes,
                static_cast<unsigned long long>(counters.garbage_received),
                static_cast<unsigned long long>(counters.nodes_lost), static_cast<unsigned long long>(counters.names_lost),
                static_cast<unsigned long long>(bus.connects));
  return text;
}

std::string AdminCommands::kick(std::string_view argument) {
  const WordAndRest parts = split_first_word(argument);
  if (parts.word.empty()) return "usage: \\kick NAME [REASON]\n";
  std::string reason;
  append_sanitized(reason, parts.rest.substr(0, 200));
  if (server_.kick(parts.word, reason)) return "kicked " + std::string(parts.word) + "\n";
  if (cluster_ != nullptr && cluster_->kick_elsewhere(parts.word, reason)) {
    return "asked its node to kick " + std::string(parts.word) + "\n";
  }
  return "no such client: " + std::string(parts.word) + "\n";
}

std::string AdminCommands::stats() const {
  const ServerStats stats = server_.stats();
  char text[512];
  std::snprintf(text, sizeof(text),
                "clients %zu (peak %zu, %llu served), rooms %zu, messages in %llu, deliveries out %llu, "
                "bytes in %llu, bytes out %llu, slow consumers cut off %llu, kicked %llu, uptime %s\n",
                server_.client_count(), stats.peak_clients, static_cast<unsigned long long>(stats.connections_accepted),
                server_.hub().rooms().size(), static_cast<unsigned long long>(stats.lines_broadcast),
                static_cast<unsigned long long>(stats.deliveries), static_cast<unsigned long long>(stats.bytes_received),
                static_cast<unsigned long long>(stats.bytes_sent),
                static_cast<unsigned long long>(stats.slow_consumers_cut_off),
                static_cast<unsigned long long>(stats.kicked), seconds_text(clock_.now() - started_).c_str());
  std::string reply = text;
  if (server_.tls_address()) {
    std::snprintf(text, sizeof(text),
                  "tls: handshakes %llu (kernel TLS %llu), failed %llu, timed out %llu, plain text on the TLS port "
                  "%llu, TLS on the plain port %llu, closed for protocol errors %llu\n",
                  static_cast<unsigned long long>(stats.tls_handshakes),
                  static_cast<unsigned long long>(stats.tls_kernel_sessions),
                  static_cast<unsigned long long>(stats.tls_handshakes_failed),
                  static_cast<unsigned long long>(stats.tls_handshake_timeouts),
                  static_cast<unsigned long long>(stats.plain_text_on_tls_port),
                  static_cast<unsigned long long>(stats.tls_on_plain_port),
                  static_cast<unsigned long long>(stats.tls_protocol_errors));
    reply += text;
  }
  if (server_.requires_password()) {
    std::snprintf(text, sizeof(text), "passwords: accepted %llu, wrong %llu, refused while locked out %llu\n",
                  static_cast<unsigned long long>(stats.passwords_accepted),
                  static_cast<unsigned long long>(stats.wrong_passwords),
                  static_cast<unsigned long long>(stats.refused_locked_out));
    reply += text;
  }
  if (stats.websocket_connections_accepted > 0) {
    std::snprintf(text, sizeof(text),
                  "websocket: clients %zu (%llu served), closed for protocol errors %llu, for unanswered pings %llu\n",
                  server_.websocket_client_count(), static_cast<unsigned long long>(stats.websocket_connections_accepted),
                  static_cast<unsigned long long>(stats.websocket_protocol_errors),
                  static_cast<unsigned long long>(stats.websocket_ping_timeouts));
    reply += text;
  }
  if (stats.irc_ping_timeouts > 0 || stats.irc_registration_timeouts > 0) {
    std::snprintf(text, sizeof(text), "irc: closed for unanswered pings %llu, for not registering %llu\n",
                  static_cast<unsigned long long>(stats.irc_ping_timeouts),
                  static_cast<unsigned long long>(stats.irc_registration_timeouts));
    reply += text;
  }
  if (cluster_ != nullptr) reply += cluster_stats();
  return reply;
}

}  // namespace chatroom
