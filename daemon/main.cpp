// chatroomd: parses options, sets up logging and runs the daemon from libchatroom.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "service/daemon.hpp"
#include "service/log_setup.hpp"

int main(int argc, char** argv) {
  chatroom::DaemonConfig config;
  CLI::App app{"chatroomd: a chat room server. Every line a client sends is broadcast to every other client."};
  app.set_version_flag("--version", std::string(CHATROOM_VERSION));

  std::optional<std::uint16_t> positional_port;
  std::optional<std::uint16_t> option_port;
  std::string log_level = "info";
  std::string log_target = "auto";
  double shutdown_timeout_s = 2.0;
  double line_timeout_s = 30.0;
  double soft_output_s = 10.0;
  double idle_timeout_s = 0.0;
  double ws_ping_interval_s = 30.0;
  double tcp_user_timeout_s = 60.0;
  bool no_console = false;
  std::string cluster_url;
  chatroom::ClusterConfig cluster;
  double cluster_lease_s = 30.0;
  chatroom::TlsListenerConfig tls;
  bool no_ktls = false;
  double tls_handshake_timeout_s = 10.0;
  double login_window_s = 60.0;
  double login_lockout_s = 60.0;
  double login_failure_delay_s = 1.0;
  std::optional<std::uint16_t> http_port;
  chatroom::HttpListenerConfig http;
  std::optional<std::uint16_t> irc_port;
  chatroom::IrcListenerConfig irc;
  double irc_ping_interval_s = 120.0;
  double irc_registration_timeout_s = 60.0;
  double http_request_timeout_s = 10.0;

  app.set_config("-c,--config", "", "Read options from this file (TOML or INI, keys are the long option names)");
  app.allow_config_extras(CLI::config_extras_mode::error);  // a misspelt key is an error, not ignored
  app.add_option("PORT", positional_port, "Port to listen on, as the original chat room took it (default 7000)");
  app.add_option("--host", config.host, "Address to listen on: IPv4, IPv6 (:: for all) or a host name")
      ->capture_default_str();
  app.add_option("-p,--port", option_port, "Port to listen on; 0 picks a free port (default 7000)");
  app.add_option("--port-file", config.port_file, "Write the port actually bound to this file once listening");
  app.add_option("--max-line", config.limits.max_line_bytes, "Longest line a client may send, in bytes")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->capture_default_str();
  app.add_option("--max-output", config.limits.max_output_bytes,
                 "Output queued for one client beyond which it is cut off, in bytes (e.g. 8MiB)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 40))
      ->capture_default_str();
  app.add_option("--soft-max-output", config.limits.soft_max_output_bytes,
                 "Output one client may keep queued for at most --soft-output-seconds (0: no soft limit)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--soft-output-seconds", soft_output_s, "How long a client may stay above --soft-max-output")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--max-total-output", config.limits.max_total_output_bytes,
                 "Output queued for all clients together beyond which the largest backlogs are cut off (0: no limit)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app.add_option("--max-write-duty", config.limits.max_write_duty,
                 "Largest share of the time that rounds of one-line writes to a large room may take: "
                 "the loop rests after such a round so that the next lines leave together (1: no rest)")
      ->check(CLI::Range(0.1, 1.0))
      ->capture_default_str();
  app.add_option("--read-budget", config.limits.read_budget_bytes,
                 "Bytes read from one client per loop turn before others get theirs")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{512}, std::size_t{64} << 20))
      ->capture_default_str();
  app.add_option("--max-clients", config.limits.max_clients,
                 "Clients at once; one more gets '! server full' (default: the descriptor limit minus 32)");
  app.add_option("--max-per-ip", config.limits.max_per_ip, "Clients at once from one IP address (0: no limit)")
      ->capture_default_str();
  app.add_option("--rate-limit", config.limits.rate_limit_lines_per_s,
                 "Lines per second one client may send on average; excess lines are dropped (0: no limit)")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--rate-burst", config.limits.rate_burst_lines, "Lines one client may send in a burst")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--flood-disconnect", config.limits.flood_disconnect_lines,
                 "Lines dropped in one flood (until the client has been under the rate long enough to earn its "
                 "whole burst back) after which it is disconnected (0: never)")
      ->capture_default_str();
  app.add_option("--line-timeout", line_timeout_s,
                 "Seconds a client may hold a line without its newline before it is cut off (0: forever)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--idle-timeout", idle_timeout_s,
                 "Seconds a client may send nothing (a blank line counts) before it is cut off (0: forever)")
      ->check(CLI::Range(0.0, 86400.0 * 365))
      ->capture_default_str();
  app.add_option("--tcp-user-timeout", tcp_user_timeout_s,
                 "Seconds sent data may stay unacknowledged before a vanished client is dropped (0: kernel default)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--history", config.chat.history_lines,
                 "Messages a room replays to whoever joins it (0: no history)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10000}))
      ->capture_default_str();
  app.add_option("--announce-max-room", config.chat.announce_max_members,
                 "Join, leave and nick notices go only to rooms of at most this many members (0: never)")
      ->capture_default_str();
  app.add_option("--max-rooms", config.chat.max_rooms_per_member,
                 "Rooms one member may be in at once (IRC's CHANLIMIT; a line client is in one)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  app.add_option("--shutdown-timeout", shutdown_timeout_s, "Seconds to flush queued output on shutdown")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--backlog", config.listen_backlog, "Listen backlog")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--log-target", log_target,
                 "auto (journal style when stdout goes to journald), console or journal")
      ->check(CLI::IsMember({"auto", "console", "journal"}))
      ->capture_default_str();
  app.add_flag("--no-console", no_console, "Do not read admin commands from stdin");
  app.add_flag("--reuse-port", config.reuse_port,
               "Listen with SO_REUSEPORT, so several nodes on this host share the port and the kernel spreads clients");
  app.add_option("--cluster", cluster_url,
                 "Share rooms, names and history with other nodes through Redis: redis://HOST:PORT[/DB] or "
                 "unix:///PATH (HOST an IP address or localhost)");
  app.add_option("--cluster-password-file", cluster.password_file,
                 "A file whose first line is Redis's password")
      ->check(CLI::ExistingFile);
  app.add_option("--node-name", cluster.node_name, "This node's name in the cluster (default: HOST:PORT it listens on)");
  app.add_option("--cluster-max-output", cluster.max_output_bytes,
                 "Output queued for Redis beyond which lines for other nodes are dropped and counted, in bytes")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 34))
      ->capture_default_str();
  app.add_option("--cluster-lease", cluster_lease_s,
                 "Seconds a node's names and members outlive its last heartbeat (it beats 3 times per lease)")
      ->check(CLI::Range(0.3, 3600.0))
      ->capture_default_str();

  app.add_option("--tls-cert", tls.certificate_file,
                 "PEM certificate (followed by its chain) for a TLS listener on --tls-port")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", tls.key_file, "PEM private key of --tls-cert (keep it mode 600)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-port", tls.port, "Port of the TLS listener, beside the plain one; 0 picks a free port")
      ->capture_default_str();
  app.add_option("--tls-port-file", tls.port_file, "Write the TLS port actually bound to this file once listening");
  app.add_flag("--tls-only", tls.only, "No plain listener: every client must connect with TLS");
  app.add_flag("--no-ktls", no_ktls, "Never hand TLS records to the kernel (kTLS); OpenSSL encrypts every record");
  app.add_option("--tls-handshake-timeout", tls_handshake_timeout_s,
                 "Seconds a client may take to finish its TLS handshake")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--tls-max-handshakes", config.limits.tls_max_handshakes,
                 "TLS handshakes under way at once; beyond it new TLS clients wait in the listen backlog")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--password-file", config.password_file,
                 "Clients must send \\pass with the password in this file (surrounding whitespace trimmed) "
                 "before they may chat")
      ->check(CLI::ExistingFile);
  app.add_option("--password-max-failures", config.login.max_failures,
                 "Wrong passwords from one address within --password-window that lock it out")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--password-window", login_window_s, "Seconds over which wrong passwords are counted")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  app.add_option("--password-lockout", login_lockout_s,
                 "Seconds an address that guessed too often is refused")
      ->check(CLI::Range(0.0, 86400.0 * 30))
      ->capture_default_str();
  app.add_option("--password-delay", login_failure_delay_s,
                 "Seconds between a wrong password's reply and the close")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();

  app.add_option("--irc-port", irc_port,
                 "Also accept IRC clients (irssi, WeeChat, bots) on this port (off unless given; 6667 is IRC's; "
                 "0 picks a free port)");
  app.add_option("--irc-port-file", irc.port_file, "Write the IRC port actually bound to this file once listening");
  app.add_option("--irc-tls-port", irc.tls_port,
                 "Also accept IRC over TLS on this port (6697 is IRC's), with --tls-cert and --tls-key");
  app.add_option("--irc-tls-port-file", irc.tls_port_file,
                 "Write the IRC TLS port actually bound to this file once listening");
  app.add_option("--irc-server-name", irc.server_name, "The server's name in IRC replies and members' masks")
      ->capture_default_str();
  app.add_option("--irc-ping-interval", irc_ping_interval_s,
                 "Seconds of silence after which an IRC client is sent a PING, and cut off if as many more pass "
                 "(0: never)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--irc-registration-timeout", irc_registration_timeout_s,
                 "Seconds an IRC client has to register (NICK, USER, CAP END) before it is closed (0: no limit)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();

  app.add_option("--http-port", http_port,
                 "Serve /healthz and /metrics over HTTP on this port (off unless given; 0 picks a free port)");
  app.add_option("--http-host", http.host, "Address of the HTTP listener (default: --host)");
  app.add_option("--http-port-file", http.port_file, "Write the HTTP port actually bound to this file once listening");
  app.add_option("--http-max-connections", http.limits.max_connections,
                 "HTTP connections at once; one more is answered 503")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--http-request-timeout", http_request_timeout_s,
                 "Seconds an HTTP client may take to send a whole request (also the keep-alive idle time)")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--http-max-request", http.limits.request.max_head_bytes,
                 "Bytes of an HTTP request's line and headers; more is answered 431")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{256}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--http-max-headers", http.limits.request.max_headers,
                 "Headers in one HTTP request; more is answered 431")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  app.add_option("--http-allow-origin", http.allowed_origins,
                 "Web pages (origins such as https://chat.example.org, or *) whose scripts may open the chat's "
                 "WebSocket; repeatable (default: pages from the same host and port only)");
  app.add_option("--ws-ping-interval", ws_ping_interval_s,
                 "Seconds between pings to a WebSocket client; one that sends nothing, not even a pong, from one "
                 "ping to the next is cut off (0: no pings)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (positional_port && option_port && *positional_port != *option_port) {
    std::fprintf(stderr, "chatroomd: the port is given twice (%u and --port %u)\n", *positional_port, *option_port);
    return 2;
  }
  if (option_port) config.port = *option_port;
  if (positional_port) config.port = *positional_port;
  config.shutdown_timeout = std::chrono::milliseconds(static_cast<long>(shutdown_timeout_s * 1000.0));
  config.limits.line_timeout = std::chrono::milliseconds(static_cast<long>(line_timeout_s * 1000.0));
  config.limits.idle_timeout = std::chrono::milliseconds(static_cast<long>(idle_timeout_s * 1000.0));
  config.limits.keepalive_interval = std::chrono::milliseconds(static_cast<long>(ws_ping_interval_s * 1000.0));
  config.limits.soft_output_period = std::chrono::milliseconds(static_cast<long>(soft_output_s * 1000.0));
  config.limits.tcp_user_timeout = std::chrono::milliseconds(static_cast<long>(tcp_user_timeout_s * 1000.0));
  config.console = !no_console;
  cluster.lease = std::chrono::milliseconds(static_cast<long>(cluster_lease_s * 1000.0));
  if (!cluster_url.empty()) {
    try {
      cluster.redis = chatroom::RedisAddress::parse(cluster_url);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "chatroomd: %s\n", error.what());
      return 2;
    }
    config.cluster = cluster;
  } else if (cluster.node_name || cluster.password_file) {
    std::fprintf(stderr, "chatroomd: --node-name and --cluster-password-file need --cluster\n");
    return 2;
  }

  if (!tls.certificate_file.empty() || !tls.key_file.empty()) {
    if (tls.certificate_file.empty() || tls.key_file.empty()) {
      std::fprintf(stderr, "chatroomd: TLS needs both --tls-cert and --tls-key\n");
      return 2;
    }
    tls.kernel_tls = !no_ktls;
    config.tls = tls;
  } else if (tls.only || tls.port_file) {
    std::fprintf(stderr, "chatroomd: --tls-only and --tls-port-file need --tls-cert and --tls-key\n");
    return 2;
  }
  if (irc_port) {
    irc.port = *irc_port;
    irc.ping_interval = std::chrono::milliseconds(static_cast<long>(irc_ping_interval_s * 1000.0));
    irc.registration_timeout = std::chrono::milliseconds(static_cast<long>(irc_registration_timeout_s * 1000.0));
    if (irc.tls_port && !config.tls) {
      std::fprintf(stderr, "chatroomd: --irc-tls-port needs --tls-cert and --tls-key\n");
      return 2;
    }
    config.irc = irc;
  } else if (irc.port_file || irc.tls_port || irc.tls_port_file) {
    std::fprintf(stderr, "chatroomd: --irc-port-file and --irc-tls-port need --irc-port\n");
    return 2;
  }
  if (http_port) {
    http.port = *http_port;
    http.limits.request_timeout = std::chrono::milliseconds(static_cast<long>(http_request_timeout_s * 1000.0));
    config.http = http;
  } else if (!http.host.empty() || http.port_file) {
    std::fprintf(stderr, "chatroomd: --http-host and --http-port-file need --http-port\n");
    return 2;
  }
  config.limits.tls_handshake_timeout =
      std::chrono::milliseconds(static_cast<long>(tls_handshake_timeout_s * 1000.0));
  config.login.window = std::chrono::milliseconds(static_cast<long>(login_window_s * 1000.0));
  config.login.lockout = std::chrono::milliseconds(static_cast<long>(login_lockout_s * 1000.0));
  config.login.failure_delay = std::chrono::milliseconds(static_cast<long>(login_failure_delay_s * 1000.0));

  chatroom::configure_logging("chatroomd", chatroom::parse_log_target(log_target), spdlog::level::from_str(log_level));
  try {
    return chatroom::run_daemon(config);
  } catch (const std::exception& error) {
    spdlog::critical("chatroomd cannot start: {}", error.what());
    return 1;
  }
}
