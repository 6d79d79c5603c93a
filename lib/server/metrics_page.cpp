// What /metrics reports, and where each figure comes from.
#include "server/metrics_page.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

#include "http/prometheus_text.hpp"

namespace chatroom {
namespace {

double seconds(Duration duration) { return std::chrono::duration<double>(duration).count(); }

std::size_t open_descriptors() {
  std::size_t count = 0;
  if (DIR* directory = ::opendir("/proc/self/fd")) {
    while (const dirent* entry = ::readdir(directory)) {
      if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(directory);
    --count;  // the directory's own descriptor
  }
  return count;
}

double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long total_pages = 0;
  long resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return static_cast<double>(resident_pages) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

void add_process_metrics(PrometheusText& out) {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  out.counter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", cpu);
  out.gauge("process_resident_memory_bytes", "Resident memory, in bytes.", resident_bytes());
  out.gauge("process_open_fds", "Open file descriptors.", static_cast<double>(open_descriptors()));
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  out.gauge("process_max_fds", "The limit on open file descriptors.", static_cast<double>(limit.rlim_cur));
}

}  // namespace

std::string metrics_page(const MetricsSources& sources) {
  const ChatServer& server = sources.server;
  const ServerStats stats = server.stats();
  PrometheusText out;
  out.gauge("chatroomd_clients", "Chat clients connected now (plain, TLS and WebSocket).",
            static_cast<double>(server.client_count()));
  out.gauge("chatroomd_clients_peak", "The most chat clients connected at once since start.",
            static_cast<double>(stats.peak_clients));
  out.counter("chatroomd_connections_accepted_total", "Chat clients admitted since start.",
              static_cast<double>(stats.connections_accepted));
  out.gauge("chatroomd_rooms", "Rooms with at least one member on this node.",
            static_cast<double>(server.hub().rooms().size()));
  out.counter("chatroomd_lines_in_total", "Chat, action, private and console lines accepted for delivery.",
              static_cast<double>(stats.lines_broadcast));
  out.counter("chatroomd_deliveries_total", "Copies of lines queued for recipients.",
              static_cast<double>(stats.deliveries));
  out.counter("chatroomd_received_bytes_total", "Bytes received from chat clients (decrypted, for TLS).",
              static_cast<double>(stats.bytes_received));
  out.counter("chatroomd_sent_bytes_total", "Bytes sent to chat clients (before encryption, for TLS).",
              static_cast<double>(stats.bytes_sent));
  out.gauge("chatroomd_queued_output_bytes", "Output queued for all chat clients together.",
            static_cast<double>(server.queued_output_bytes()));
  out.counter("chatroomd_slow_consumers_cut_total", "Clients cut off for not reading their output.",
              static_cast<double>(stats.slow_consumers_cut_off));
  out.counter("chatroomd_flood_lines_dropped_total", "Lines dropped by flood control (--rate-limit).",
              static_cast<double>(stats.lines_dropped_for_flooding));
  out.counter("chatroomd_flooders_cut_total", "Clients cut off for flooding (--flood-disconnect).",
              static_cast<double>(stats.flooders_cut_off));
  out.counter("chatroomd_lines_too_long_total", "Lines dropped for passing --max-line.",
              static_cast<double>(stats.lines_too_long));
  out.labelled_counter("chatroomd_timeouts_total", "Clients cut off by a timeout, by which.", "timeout",
                       {{"line", static_cast<double>(stats.line_timeouts)},
                        {"idle", static_cast<double>(stats.idle_timeouts)}});
  out.counter("chatroomd_kicked_total", "Clients kicked from the console.", static_cast<double>(stats.kicked));
  out.labelled_counter("chatroomd_refused_connections_total", "Connections refused, by cause.", "cause",
                       {{"server_full", static_cast<double>(stats.refused_server_full)},
                        {"per_ip", static_cast<double>(stats.refused_per_ip)},
                        {"out_of_descriptors", static_cast<double>(stats.refused_out_of_descriptors)},
                        {"password_lockout", static_cast<double>(stats.refused_locked_out)},
                        {"tls_on_plain_port", static_cast<double>(stats.tls_on_plain_port)},
                        {"plain_text_on_tls_port", static_cast<double>(stats.plain_text_on_tls_port)}});
  if (server.tls_address()) {
    out.counter("chatroomd_tls_handshakes_total", "TLS handshakes completed.", static_cast<double>(stats.tls_handshakes));
    out.counter("chatroomd_tls_kernel_sessions_total", "TLS sessions whose records the kernel encrypts (kTLS).",
                static_cast<double>(stats.tls_kernel_sessions));
    out.labelled_counter("chatroomd_tls_handshake_failures_total", "TLS handshakes that did not complete, by why.",
                         "reason",
                         {{"failed", static_cast<double>(stats.tls_handshakes_failed)},
                          {"timed_out", static_cast<double>(stats.tls_handshake_timeouts)}});
    out.labelled_counter("chatroomd_tls_closed_total",
                         "TLS clients closed by the server for their records (after the handshake), by why.", "reason",
                         {{"protocol_error", static_cast<double>(stats.tls_protocol_errors)}});
  }
  if (server.requires_password()) {
    out.labelled_counter("chatroomd_password_attempts_total", "\\pass attempts, by outcome.", "outcome",
                         {{"accepted", static_cast<double>(stats.passwords_accepted)},
                          {"wrong", static_cast<double>(stats.wrong_passwords)}});
  }
  out.counter("chatroomd_write_rests_total",
              "Rests after a round of one-line writes to a large room, so later lines leave together (--max-write-duty).",
              static_cast<double>(stats.write_rests));
  out.counter("chatroomd_write_rest_seconds_total", "The length of those rests together.", stats.write_rest_seconds);
  out.counter("chatroomd_loop_turns_total", "Turns of the event loop.", static_cast<double>(sources.loop.turns()));
  out.gauge("chatroomd_loop_busiest_turn_seconds",
            "The longest loop turn (its work, not its wait) in the last 30 to 60 seconds.",
            seconds(sources.loop.busiest_recent_turn()));
  if (sources.http != nullptr) {
    std::vector<std::pair<std::string, double>> by_code;
    for (const auto& [status, count] : sources.http->stats().responses_by_status) {
      by_code.emplace_back(std::to_string(status), static_cast<double>(count));
    }
    out.labelled_counter("chatroomd_http_responses_total", "HTTP responses, by status code.", "code", by_code);
    out.gauge("chatroomd_http_connections", "HTTP connections open now (not counting upgraded WebSockets).",
              static_cast<double>(sources.http->connection_count()));
    out.gauge("chatroomd_websocket_clients", "Chat clients connected now over WebSocket (part of chatroomd_clients).",
              static_cast<double>(server.websocket_client_count()));
    out.counter("chatroomd_websocket_connections_total", "WebSocket upgrades admitted to the chat since start.",
                static_cast<double>(stats.websocket_connections_accepted));
    out.labelled_counter("chatroomd_websocket_closed_total", "WebSocket clients closed by the server for their frames "
                         "or their silence, by why.", "reason",
                         {{"protocol_error", static_cast<double>(stats.websocket_protocol_errors)},
                          {"no_pong", static_cast<double>(stats.websocket_ping_timeouts)}});
  }
  out.labelled_counter("chatroomd_irc_closed_total", "IRC clients closed by the server for their silence, by why.",
                       "reason",
                       {{"no_pong", static_cast<double>(stats.irc_ping_timeouts)},
                        {"unregistered", static_cast<double>(stats.irc_registration_timeouts)}});
  add_process_metrics(out);
  return out.text();
}

}  // namespace chatroom
