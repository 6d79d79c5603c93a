// Choosing the client's input and output from what stdin and stdout are.
#include "client/client_app.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "client/chat_client.hpp"
#include "client/editline_terminal.hpp"
#include "client/line_input.hpp"
#include "client/stream_display.hpp"
#include "client/utf8_locale.hpp"
#include "net/tcp_connect.hpp"
#include "reactor/signal_watcher.hpp"
#include "net/secret_file.hpp"
#include "tls/tls_client_context.hpp"
#include "transport/plain_transport.hpp"

namespace chatroom {
namespace {

constexpr std::size_t kMaxInputLineBytes = std::size_t{1} << 20;

bool color_wanted(const ClientConfig& config) {
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  const char* no_color = std::getenv("NO_COLOR");
  return !config.no_color && (no_color == nullptr || *no_color == '\0') && ::isatty(STDOUT_FILENO) != 0;
}

std::unique_ptr<Transport> connect_to_server(const ClientConfig& config) {
  UniqueFd socket = connect_tcp(config.host, config.port, config.connect_timeout);
  if (!config.tls) return std::make_unique<PlainTransport>(std::move(socket));
  const TlsClientContext context(TlsClientSettings{config.ca_file, true});
  return context.handshake(std::move(socket), config.host, config.connect_timeout);
}

}  // namespace

int run_client(const ClientConfig& config) {
  // OpenSSL writes with write(), not send(MSG_NOSIGNAL): a server that vanished mid-handshake
  // must be an error, not a fatal signal.
  ::signal(SIGPIPE, SIG_IGN);
  std::optional<std::string> password;
  try {
    if (config.password_file) password = read_secret_file(*config.password_file);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "chatroom: %s\n", error.what());
    return 2;
  }
  std::unique_ptr<Transport> transport;
  try {
    transport = connect_to_server(config);
  } catch (const std::exception& error) {  // ConnectError, TlsClientError
    std::fprintf(stderr, "chatroom: %s\n", error.what());
    return 1;
  }

  const SteadyClock clock;
  Reactor reactor(clock);
  const LineFormatter formatter({color_wanted(config), config.timestamps});
  const bool interactive = ::isatty(STDIN_FILENO) != 0 && ::isatty(STDOUT_FILENO) != 0;

  std::unique_ptr<EditlineTerminal> terminal;
  std::unique_ptr<StreamDisplay> stream;
  ChatDisplay* display = nullptr;
  if (interactive) {
    if (!use_utf8_characters()) {
      std::fprintf(stderr, "chatroom: no UTF-8 locale available: characters beyond ASCII cannot be typed\n");
    }
    terminal = std::make_unique<EditlineTerminal>(reactor, formatter, ClientSession().prompt());
    display = terminal.get();
  } else {
    stream = std::make_unique<StreamDisplay>(STDOUT_FILENO, formatter);
    display = stream.get();
  }

  ChatClient client(reactor, std::move(transport), *display);
  if (password) {
    client.answer_password_requests_with([&password]() -> std::optional<std::string> {
      return std::exchange(password, std::nullopt);  // once: a second request means it was wrong
    });
  } else if (terminal) {
    client.answer_password_requests_with([&terminal, &config] {
      return terminal->read_secret("password for " + config.host + ": ");
    });
  }
  std::unique_ptr<LineInput> line_input;
  if (terminal) {
    terminal->follow(client.session());
    terminal->start(client);
    client.attach_input(terminal.get());
  } else {
    line_input = std::make_unique<LineInput>(reactor, STDIN_FILENO, client, kMaxInputLineBytes);
    client.attach_input(line_input.get());
  }

  // Ctrl-C or a termination request leaves cleanly; a second one leaves at once.
  int signals_seen = 0;
  const SignalWatcher signals(reactor, {SIGINT, SIGTERM, SIGHUP}, [&](int) {
    if (++signals_seen == 1) {
      client.leave();
    } else {
      reactor.stop();
    }
  });

  reactor.run();
  client.attach_input(nullptr);
  return client.exit_code();
}

}  // namespace chatroom
