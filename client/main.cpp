// chatroom: the terminal client. Parses options and runs the client from libchatroom.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "client/client_app.hpp"

int main(int argc, char** argv) {
  chatroom::ClientConfig config;
  CLI::App app{"chatroom: chat in a chatroomd chat room. Type a line to send it; \\close or Ctrl-D to leave."};
  app.set_version_flag("--version", std::string(CHATROOM_VERSION));

  std::optional<std::string> positional_host;
  std::optional<std::uint16_t> positional_port;
  double connect_timeout_s = 5.0;
  app.add_option("HOST", positional_host, "Server address or name (default 127.0.0.1)");
  app.add_option("PORT", positional_port, "Server port (default 7000)");
  app.add_option("--host", config.host, "Server address or name")->capture_default_str();
  app.add_option("-p,--port", config.port, "Server port")->check(CLI::Range(1, 65535))->capture_default_str();
  app.add_flag("--timestamps", config.timestamps, "Prefix each message with the local time");
  app.add_flag("--no-color", config.no_color, "No colours (also when NO_COLOR is set or output is not a terminal)");
  app.add_option("--connect-timeout", connect_timeout_s, "Seconds to wait for the connection")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_flag("--tls", config.tls,
               "Connect with TLS, checking the server's certificate and name (default port then 7443)");
  app.add_option("--ca-file", config.ca_file, "Trust only the CA certificates in this PEM file (with --tls)")
      ->check(CLI::ExistingFile);
  app.add_option("--password-file", config.password_file,
                 "Answer the server's password request with this file's content (else it is asked for)")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (config.ca_file && !config.tls) {
    std::fprintf(stderr, "chatroom: --ca-file needs --tls\n");
    return 2;
  }
  if (config.tls && app.count("--port") == 0 && !positional_port) config.port = 7443;

  if (positional_host) config.host = *positional_host;
  if (positional_port) {
    if (*positional_port == 0) {
      std::fprintf(stderr, "chatroom: port 0 is not a server port\n");
      return 2;
    }
    config.port = *positional_port;
  }
  config.connect_timeout = std::chrono::milliseconds(static_cast<long>(connect_timeout_s * 1000));
  return chatroom::run_client(config);
}
