// Admin command replies.
#include "server/admin_commands.hpp"

#include <cstdio>

#include "protocol/text_sanitizer.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kConsoleHelp =
    "console commands: \\who, \\rooms, \\kick NAME [REASON], \\stats, \\help, \\close (shut down); "
    "any other line is broadcast to every room as <server>\n";

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
  std::string text = std::to_string(clients.size()) + " clients\n";
  for (const ChatServer::ClientReport& client : clients) {
    char line[256];
    std::snprintf(line, sizeof(line), "  %-32s room %-32s %-47s queued %zu bytes, connected %s\n", client.name.c_str(),
                  client.room.c_str(), client.address.c_str(), client.queued_output_bytes,
                  seconds_text(client.connected_for).c_str());
    text += line;
  }
  return text;
}

std::string AdminCommands::kick(std::string_view argument) {
  const WordAndRest parts = split_first_word(argument);
  if (parts.word.empty()) return "usage: \\kick NAME [REASON]\n";
  std::string reason;
  append_sanitized(reason, parts.rest.substr(0, 200));
  if (!server_.kick(parts.word, reason)) return "no such client: " + std::string(parts.word) + "\n";
  return "kicked " + std::string(parts.word) + "\n";
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
  return text;
}

}  // namespace chatroom
