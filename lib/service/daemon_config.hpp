// Everything chatroomd can be told on its command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <sys/socket.h>

#include "chat/chat_hub.hpp"
#include "cluster/redis_address.hpp"
#include "http/http_connection.hpp"
#include "server/login_throttle.hpp"
#include "server/server_limits.hpp"

namespace chatroom {

// A node of a cluster of chatroomd nodes sharing rooms through Redis.
struct ClusterConfig {
  RedisAddress redis;
  // A file holding Redis's password (AUTH): read like every password file (net/secret_file).
  std::optional<std::string> password_file;
  // How the others name this node; default: the listener's "HOST:PORT".
  std::optional<std::string> node_name;
  // Output queued for Redis beyond which publishes are dropped (and counted).
  std::size_t max_output_bytes = 16 << 20;
  std::chrono::milliseconds lease{30000};
};

// A second listener whose clients speak TLS.
struct TlsListenerConfig {
  std::string certificate_file;
  std::string key_file;
  std::uint16_t port = 7443;  // 0 picks a free port
  // Where to write the TLS port actually bound, as port_file does for the plain one.
  std::optional<std::string> port_file;
  // No plain listener at all: every client must use TLS.
  bool only = false;
  // Let the kernel encrypt (kTLS) where it can; off, records are always encrypted by OpenSSL.
  bool kernel_tls = true;
};

// The IRC listeners: IRC clients in the same rooms (docs/protocol.md, "IRC").
struct IrcListenerConfig {
  std::uint16_t port = 6667;  // 0 picks a free port
  std::optional<std::string> port_file;
  // Also IRC over TLS, with the TLS listener's certificate (--tls-cert, --tls-key).
  std::optional<std::uint16_t> tls_port;
  std::optional<std::string> tls_port_file;
  // The server's name in IRC replies and members' masks.
  std::string server_name = "chatroomd";
  std::chrono::milliseconds ping_interval{120'000};
  std::chrono::milliseconds registration_timeout{60'000};
};

// The HTTP listener: /healthz and /metrics.
struct HttpListenerConfig {
  std::string host;           // empty: the chat listener's --host
  std::uint16_t port = 7080;  // 0 picks a free port
  std::optional<std::string> port_file;
  HttpLimits limits;
  // --http-allow-origin: see OriginPolicy. Empty: the same host only.
  std::vector<std::string> allowed_origins;
};

struct DaemonConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 7000;
  ServerLimits limits;
  HubSettings chat;
  std::chrono::milliseconds shutdown_timeout{2000};
  int listen_backlog = SOMAXCONN;
  // Where to write the bound port (useful with port 0); written atomically once listening.
  std::optional<std::string> port_file;
  // Read admin commands from stdin.
  bool console = true;
  // SO_REUSEPORT: several nodes on one host share the port.
  bool reuse_port = false;
  std::optional<ClusterConfig> cluster;
  std::optional<TlsListenerConfig> tls;
  std::optional<HttpListenerConfig> http;
  std::optional<IrcListenerConfig> irc;
  // Clients must send "\pass" with the password in this file before they may chat.
  std::optional<std::string> password_file;
  LoginLimits login;
};

}  // namespace chatroom
