// Wiring of chatroomd's parts and its shutdown sequence.
#include "service/daemon.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>
#include <filesystem>
#include <fstream>
#include <memory>
#include <spdlog/spdlog.h>
#include <system_error>
#include <vector>

#include "cluster/cluster_node.hpp"
#include "cluster/redis_bus.hpp"
#include "http/http_server.hpp"
#include "irc/irc_protocol.hpp"
#include "net/descriptor_limit.hpp"
#include "net/listener.hpp"
#include "net/secret_file.hpp"
#include "reactor/signal_watcher.hpp"
#include "service/admin_commands.hpp"
#include "server/chat_server.hpp"
#include "server/console.hpp"
#include "server/server_secrets.hpp"
#include "server/http_site.hpp"
#include "service/service_reporter.hpp"
#include "service/inherited_sockets.hpp"
#include "service/service_notifier.hpp"

namespace chatroom {
namespace {

// Descriptors kept back from clients: epoll, signalfd, listener, console, logs, the
// listener's reserve, and room for what a later feature opens.
constexpr std::size_t kReservedDescriptors = 32;

void write_port_file(const std::string& path, std::uint16_t port) {
  // Written to a temporary name and renamed, so a reader never sees a half-written file.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write port file " + temporary);
  }
  std::filesystem::rename(temporary, path);
}

// Reacts to the console and to signals: the first request shuts down gracefully, a second
// one while that is under way ends at once.
class ShutdownController final : public ConsoleCommands {
 public:
  ShutdownController(Reactor& reactor, ChatServer& server, ServiceReporter& reporter,
                     std::chrono::milliseconds timeout, const Clock& clock, ClusterNode* cluster,
                     ServerSecrets& secrets)
      : reactor_(reactor),
        server_(server),
        reporter_(reporter),
        timeout_(timeout),
        cluster_(cluster),
        admin_(clock, server, cluster, &secrets) {}

  void request(std::string_view why) {
    if (server_.shutting_down()) {
      spdlog::warn("{} during shutdown: closing every connection now", why);
      server_.close_all_now(CloseReason::ShutdownTimedOut);
      reactor_.stop();
      return;
    }
    spdlog::info("{}: shutting down (up to {} ms to flush)", why, timeout_.count());
    reporter_.stopping();
    // Only this node stops; the others forget its clients now, not a lease later.
    if (cluster_ != nullptr) cluster_->say_goodbye();
    server_.shut_down_gracefully(timeout_, [this] { reactor_.stop(); });
  }

  void on_console_close() override { request("\\close on the console"); }
  void on_console_text(std::string_view text) override { server_.broadcast_from_server(text); }
  void on_console_command(const CommandLine& command) override {
    // The admin's terminal is our stdout, shared with the log.
    const std::string reply = admin_.run(command);
    std::fwrite(reply.data(), 1, reply.size(), stdout);
    std::fflush(stdout);
  }

 private:
  Reactor& reactor_;
  ChatServer& server_;
  ServiceReporter& reporter_;
  std::chrono::milliseconds timeout_;
  ClusterNode* cluster_;
  AdminCommands admin_;
};

// Refuses, before anything is bound, a socket passed for a listener the configuration does not
// turn on: the configuration says what is served, the socket units only where.
void refuse_sockets_for_listeners_that_are_off(const InheritedListeners& inherited, const DaemonConfig& config) {
  const auto refuse_if = [&inherited](ListenerRole role, bool off, std::string_view what) {
    if (inherited.count(role) == 0 || !off) return;
    throw std::runtime_error("the service manager passed a socket named '" + std::string(socket_name_of(role)) +
                             "', but " + std::string(what));
  };
  refuse_if(ListenerRole::Chat, config.tls && config.tls->only, "tls-only turns the plain listener off");
  refuse_if(ListenerRole::Tls, !config.tls, "TLS is off (set tls-cert and tls-key)");
  refuse_if(ListenerRole::Irc, !config.irc, "IRC is off (set irc-port; the socket's address is used instead)");
  refuse_if(ListenerRole::IrcTls, !config.irc || !config.irc->tls_port,
            "IRC over TLS is off (set irc-tls-port; the socket's address is used instead)");
  refuse_if(ListenerRole::Http, !config.http, "HTTP is off (set http-port; the socket's address is used instead)");
  if (inherited.count(ListenerRole::Http) > 1) {
    throw std::runtime_error("the service manager passed more than one socket named 'http'; chatroomd serves HTTP on one");
  }
}

// The sockets the service manager passed for `role` (socket activation), else one bound to
// `host`:`port`.
std::vector<Listener> listeners_for(ListenerRole role, InheritedListeners& inherited, const std::string& host,
                                    std::uint16_t port, const DaemonConfig& config) {
  std::vector<Listener> listeners;
  for (UniqueFd& socket : inherited.take(role)) {
    listeners.emplace_back(std::move(socket));
    spdlog::info("accepting on {}, the socket '{}' passed by the service manager (its port option is ignored)",
                 listeners.back().address().to_string(), socket_name_of(role));
  }
  if (listeners.empty()) listeners.emplace_back(SocketAddress::parse(host, port), config.listen_backlog, config.reuse_port);
  return listeners;
}

// The plain listeners; none with --tls-only.
void open_plain_listeners(const DaemonConfig& config, InheritedListeners& inherited, ChatServer& server) {
  if (config.tls && config.tls->only) return;
  for (Listener& listener : listeners_for(ListenerRole::Chat, inherited, config.host, config.port, config)) {
    server.accept_plain(std::move(listener));
  }
}

std::optional<TlsServerSettings> tls_settings_of(const DaemonConfig& config) {
  if (!config.tls) return std::nullopt;
  return TlsServerSettings{config.tls->certificate_file, config.tls->key_file, config.tls->kernel_tls};
}

void open_tls_listeners(const DaemonConfig& config, InheritedListeners& inherited, const TlsServerContext& context,
                        ChatServer& server) {
  for (Listener& listener : listeners_for(ListenerRole::Tls, inherited, config.host, config.tls->port, config)) {
    server.accept_tls(std::move(listener), context);
  }
  const SocketAddress address = *server.tls_address();
  std::string mode;
  if (!config.tls->kernel_tls) {
    mode = "records encrypted by OpenSSL (kernel TLS turned off with --no-ktls)";
  } else if (kernel_offers_tls()) {
    mode = "kernel TLS offered: the kernel encrypts each session whose cipher it supports";
  } else {
    mode = "records encrypted by OpenSSL (kernel TLS unavailable: this kernel has no tls module)";
  }
  spdlog::info("chatroomd listening for TLS on {} ({}); certificate {}", address.to_string(), mode,
               context.certificate_summary());
  if (config.tls->port_file) write_port_file(*config.tls->port_file, address.port());
}

std::unique_ptr<HttpServer> open_http_listener(const DaemonConfig& config, InheritedListeners& inherited,
                                               Reactor& reactor, HttpSite& pages) {
  const HttpListenerConfig& http = *config.http;
  std::vector<Listener> listeners =
      listeners_for(ListenerRole::Http, inherited, http.host.empty() ? config.host : http.host, http.port, config);
  auto server = std::make_unique<HttpServer>(reactor, std::move(listeners.front()), pages, http.limits);
  pages.report_http(*server);
  spdlog::info("chatroomd serving HTTP on {}: the web client at /, the chat's WebSocket at /ws, /healthz, /metrics (at most {} connections, requests of {} bytes and "
               "{} headers, {} ms to send one)",
               server->address().to_string(), http.limits.max_connections, http.limits.request.max_head_bytes,
               http.limits.request.max_headers,
               std::chrono::duration_cast<std::chrono::milliseconds>(http.limits.request_timeout).count());
  std::string origins = "pages from the same host";
  if (!http.allowed_origins.empty()) {
    origins = "pages from ";
    for (const std::string& origin : http.allowed_origins) origins.append(origin).append(origin == http.allowed_origins.back() ? "" : ", ");
  }
  spdlog::info("WebSocket clients: {} (--http-allow-origin), pinged every {} ms (--ws-ping-interval)", origins,
               config.limits.keepalive_interval.count());
  if (http.port_file) write_port_file(*http.port_file, server->address().port());
  return server;
}

// Accepts IRC clients on every listener for `role`; returns the first one's address.
SocketAddress accept_irc_on(ListenerRole role, std::uint16_t port, const DaemonConfig& config,
                            InheritedListeners& inherited, const TlsServerContext* tls, IrcProtocol& irc,
                            ChatServer& server) {
  std::vector<Listener> listeners = listeners_for(role, inherited, config.host, port, config);
  const SocketAddress first = listeners.front().address();
  for (Listener& listener : listeners) server.accept(std::move(listener), tls, irc);
  return first;
}

void open_irc_listeners(const DaemonConfig& config, InheritedListeners& inherited, const TlsServerContext* tls,
                        IrcProtocol& irc, ChatServer& server) {
  const IrcListenerConfig& settings = *config.irc;
  const SocketAddress address = accept_irc_on(ListenerRole::Irc, settings.port, config, inherited, nullptr, irc, server);
  spdlog::info("chatroomd listening for IRC on {} (server name {})", address.to_string(), settings.server_name);
  if (settings.port_file) write_port_file(*settings.port_file, address.port());
  if (!settings.tls_port) return;
  const SocketAddress secured =
      accept_irc_on(ListenerRole::IrcTls, *settings.tls_port, config, inherited, tls, irc, server);
  spdlog::info("chatroomd listening for IRC over TLS on {}", secured.to_string());
  if (settings.tls_port_file) write_port_file(*settings.tls_port_file, secured.port());
}

// This node's part in a cluster, when it has one: the bus to Redis and the node on it.
struct ClusterMembership {
  std::unique_ptr<RedisBus> bus;
  std::unique_ptr<ClusterNode> node;
};

ClusterMembership join_cluster(const ClusterConfig& config, Reactor& reactor, ChatServer& server) {
  const std::string name = config.node_name.value_or(server.address().to_string());
  if (!is_valid_node_name(name)) {
    throw std::runtime_error("invalid --node-name '" + name + "': up to 255 letters, digits and . : _ - [ ] @");
  }
  // A new number each start, so the others tell this life of the node from the previous one.
  std::random_device entropy;
  const NodeOrigin origin{name, (std::uint64_t{entropy()} << 32) | entropy()};
  RedisBusSettings settings;
  settings.connection.address = config.redis;
  if (config.password_file) settings.connection.password = read_secret_file(*config.password_file);
  settings.origin = origin;
  settings.lease = config.lease;
  settings.max_output_bytes = config.max_output_bytes;
  ClusterMembership membership;
  membership.bus = std::make_unique<RedisBus>(reactor, std::move(settings));
  membership.node = std::make_unique<ClusterNode>(
      reactor, server.hub(), *membership.bus, ClusterSettings{origin, config.lease},
      [&server](std::string_view who, std::string_view reason) { return server.kick(who, reason); });
  spdlog::info("cluster: node {} joins the cluster through Redis at {} (lease {} ms, at most {} bytes queued for Redis)",
               name, config.redis.to_string(), config.lease.count(), config.max_output_bytes);
  membership.node->start();
  return membership;
}

// What is still queued for Redis (the goodbye, at least) is written by the loop; give it a
// few more turns once the clients are gone.
void leave_cluster(ClusterMembership& membership, Reactor& reactor) {
  if (!membership.node) return;
  membership.node->say_goodbye();
  const TimePoint deadline = reactor.now() + std::chrono::milliseconds(200);
  while (membership.bus->counters().queued_bytes > 0 && reactor.now() < deadline) {
    reactor.run_once(std::chrono::milliseconds(10));
  }
}

void log_summary(const ChatServer& server, std::chrono::steady_clock::duration uptime) {
  const ServerStats stats = server.stats();
  spdlog::info(
      "chatroomd stopped after {:.1f} s: {} clients served (peak {}), {} lines broadcast, {} deliveries, "
      "{} slow consumers cut off",
      std::chrono::duration<double>(uptime).count(), stats.connections_accepted, stats.peak_clients,
      stats.lines_broadcast, stats.deliveries, stats.slow_consumers_cut_off);
  spdlog::info(
      "limits tripped: {} lines too long, {} lines dropped for flooding, {} flooders cut off, {} line timeouts, "
      "{} idle timeouts; refused: {} server full, {} per address, {} out of descriptors",
      stats.lines_too_long, stats.lines_dropped_for_flooding, stats.flooders_cut_off, stats.line_timeouts,
      stats.idle_timeouts, stats.refused_server_full, stats.refused_per_ip, stats.refused_out_of_descriptors);
}

}  // namespace

int run_daemon(const DaemonConfig& requested) {
  DaemonConfig config = requested;
  const std::size_t descriptor_limit = raise_descriptor_limit_to_hard();
  if (config.limits.max_clients == 0) {
    config.limits.max_clients =
        descriptor_limit > kReservedDescriptors + 1 ? descriptor_limit - kReservedDescriptors : 1;
  }
  const SteadyClock clock;
  const TimePoint started = clock.now();
  Reactor reactor(clock);
  // Before the server, which refers to the certificate and the password.
  ServerSecrets secrets(tls_settings_of(config), config.password_file);
  IrcSettings irc_settings;
  if (config.irc) {
    irc_settings.server_name = config.irc->server_name;
    irc_settings.ping_interval = config.irc->ping_interval;
    irc_settings.registration_timeout = config.irc->registration_timeout;
  }
  IrcProtocol irc(irc_settings);
  InheritedListeners inherited = take_inherited_listeners();
  refuse_sockets_for_listeners_that_are_off(inherited, config);
  ChatServer server(reactor, std::nullopt, config.limits, config.chat);
  open_plain_listeners(config, inherited, server);
  if (config.tls) open_tls_listeners(config, inherited, *secrets.tls(), server);
  if (config.irc) open_irc_listeners(config, inherited, secrets.tls(), irc, server);
  if (secrets.password() != nullptr) server.require_password(*secrets.password(), config.login);
  HttpSite http_site(server, reactor, OriginPolicy(config.http ? config.http->allowed_origins : std::vector<std::string>{}));
  std::unique_ptr<HttpServer> http;
  if (config.http) http = open_http_listener(config, inherited, reactor, http_site);
  ClusterMembership cluster;
  if (config.cluster) cluster = join_cluster(*config.cluster, reactor, server);
  ServiceNotifier notifier;
  ServiceReporter reporter(reactor, server, notifier);
  ShutdownController shutdown(reactor, server, reporter, config.shutdown_timeout, clock, cluster.node.get(),
                              secrets);
  // Signals are routed into the loop before anyone can learn our port and signal us.
  const SignalWatcher signals(reactor, {SIGTERM, SIGINT, SIGHUP}, [&shutdown, &secrets](int signo) {
    if (signo == SIGHUP) {
      spdlog::info("SIGHUP: reloading the TLS certificate and the password");
      secrets.reload();
      return;
    }
    shutdown.request(signo == SIGTERM ? "SIGTERM" : "SIGINT");
  });

  if (!(config.tls && config.tls->only)) {
    spdlog::info("chatroomd listening on {} (max line {} bytes, max output {} bytes per client)",
                 server.address().to_string(), config.limits.max_line_bytes, config.limits.max_output_bytes);
  }
  if (server.requires_password()) {
    spdlog::info("clients must send \\pass with the password from {} before they may chat ({} wrong in {} s lock "
                 "an address out for {} s)",
                 *config.password_file, config.login.max_failures,
                 std::chrono::duration_cast<std::chrono::seconds>(config.login.window).count(),
                 std::chrono::duration_cast<std::chrono::seconds>(config.login.lockout).count());
  }
  spdlog::info(
      "limits: {} clients (descriptor limit {}), {} per address, line timeout {} ms, idle timeout {}, "
      "total output {}",
      config.limits.max_clients, descriptor_limit,
      config.limits.max_per_ip == 0 ? std::string("any number") : std::to_string(config.limits.max_per_ip),
      config.limits.line_timeout.count(),
      config.limits.idle_timeout.count() == 0 ? std::string("off")
                                              : std::to_string(config.limits.idle_timeout.count()) + " ms",
      config.limits.max_total_output_bytes == 0 ? std::string("unlimited")
                                                : std::to_string(config.limits.max_total_output_bytes) + " bytes");
  if (config.port_file) write_port_file(*config.port_file, server.address().port());

  std::unique_ptr<Console> console;
  if (config.console) console = std::make_unique<Console>(reactor, STDIN_FILENO, shutdown, config.limits.max_line_bytes);
  reporter.ready();

  reactor.run();
  leave_cluster(cluster, reactor);
  log_summary(server, clock.now() - started);
  return 0;
}

}  // namespace chatroom
