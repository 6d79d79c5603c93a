// chatroomd under a service manager, played by the test: sd_notify messages on a real
// NOTIFY_SOCKET, socket activation with LISTEN_FDS, and journal-style logging.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net/socket_address.hpp"
#include "support/daemon_process.hpp"
#include "support/test_certificates.hpp"
#include "support/test_client.hpp"
#include "support/tls_test_client.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

// A unix datagram socket playing systemd's notification socket.
class NotifySocket {
 public:
  NotifySocket() : path_(dir_.file("notify")) {
    fd_ = UniqueFd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      throw std::runtime_error("cannot bind the notify socket");
    }
  }
  [[nodiscard]] std::string environment() const { return "NOTIFY_SOCKET=" + path_; }

  // The next datagram, or nullopt after `timeout`.
  std::optional<std::string> next(std::chrono::milliseconds timeout) {
    pollfd poller{fd_.get(), POLLIN, 0};
    if (::poll(&poller, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buffer[4096];
    const ssize_t n = ::recv(fd_.get(), buffer, sizeof(buffer), 0);
    if (n <= 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }
  // Reads datagrams until one contains `text`; everything read is kept in `seen`.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto message = next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (!message) break;
      seen.push_back(*message);
      if (message->find(text) != std::string::npos) return true;
    }
    return false;
  }
  std::vector<std::string> seen;

 private:
  TempDir dir_;
  std::string path_;
  UniqueFd fd_;
};

bool exited_with_zero(std::optional<int> status) { return status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0; }

TEST(Service, ReadyOnlyOnceListeningThenStatusThenStoppingOnSigterm) {
  NotifySocket notify;
  DaemonProcess daemon({}, {notify.environment()});
  ASSERT_TRUE(notify.wait_for("READY=1", 5s));
  // READY=1 promises that connections succeed from now on.
  TestClient first(daemon.port());
  EXPECT_NE(notify.seen.front().find("STATUS=0 clients connected"), std::string::npos) << notify.seen.front();

  TestClient second(daemon.port());
  EXPECT_TRUE(notify.wait_for("STATUS=2 clients connected", 5s));

  daemon.send_signal(SIGTERM);
  EXPECT_TRUE(notify.wait_for("STOPPING=1", 5s));
  EXPECT_TRUE(exited_with_zero(daemon.wait_for_exit(3s))) << daemon.log();
}

TEST(Service, StatusUpdatesAreRateLimitedAndOnlySentOnChange) {
  NotifySocket notify;
  DaemonProcess daemon({}, {notify.environment()});
  ASSERT_TRUE(notify.wait_for("READY=1", 5s));
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 20; ++i) clients.push_back(std::make_unique<TestClient>(daemon.port()));
  ASSERT_TRUE(notify.wait_for("STATUS=20 clients connected", 5s));
  int statuses = 0;
  while (const auto message = notify.next(1500ms)) statuses += message->find("STATUS=") != std::string::npos ? 1 : 0;
  EXPECT_EQ(statuses, 0) << "no STATUS= while nothing changes";
}

TEST(Service, WatchdogKeepAlivesComeFromTheLoopWhenAskedFor) {
  NotifySocket notify;
  DaemonProcess daemon({}, {notify.environment(), "WATCHDOG_USEC=200000"});
  ASSERT_TRUE(notify.wait_for("READY=1", 5s));
  int keep_alives = 0;
  const auto deadline = std::chrono::steady_clock::now() + 1s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto message = notify.next(200ms); message && message->find("WATCHDOG=1") != std::string::npos) ++keep_alives;
  }
  EXPECT_GE(keep_alives, 4) << "every 100 ms (half of WatchdogSec) for a second";
}

// A listening socket on a free loopback port, as a socket unit holds it, and the name the unit
// gives it (FileDescriptorName=).
struct SocketUnit {
  explicit SocketUnit(std::string fd_name) : name(std::move(fd_name)) {
    socket = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const SocketAddress any = SocketAddress::parse("127.0.0.1", 0);
    if (::bind(socket.get(), any.data(), any.size()) != 0 || ::listen(socket.get(), 16) != 0) {
      throw std::runtime_error("cannot listen on a free loopback port");
    }
    port = SocketAddress::local_of(socket.get()).port();
  }
  std::string name;
  UniqueFd socket;
  std::uint16_t port = 0;
};

// chatroomd started the way systemd starts a socket-activated service: the units' sockets from
// descriptor 3 on, LISTEN_FDS, LISTEN_PID naming the daemon and, unless `with_names` is false
// (a manager from before names), LISTEN_FDNAMES.
class ActivatedDaemon {
 public:
  ActivatedDaemon(std::vector<SocketUnit>& units, std::vector<std::string> args, bool with_names = true)
      : log_path_(dir_.file("log")) {
    const std::string path = chatroomd_path();
    args.insert(args.begin(), path);
    args.emplace_back("--no-console");
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::string names;
    for (const SocketUnit& unit : units) names += (names.empty() ? "" : ":") + unit.name;

    pid_ = ::fork();
    if (pid_ == 0) {
      // Out of the way first, so that moving one socket to 3 + i never closes another.
      std::vector<int> moved;
      for (const SocketUnit& unit : units) moved.push_back(::fcntl(unit.socket.get(), F_DUPFD, 100));
      for (std::size_t i = 0; i < moved.size(); ++i) ::dup2(moved[i], 3 + static_cast<int>(i));  // clears CLOEXEC
      ::setenv("LISTEN_FDS", std::to_string(moved.size()).c_str(), 1);
      ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
      if (with_names) ::setenv("LISTEN_FDNAMES", names.c_str(), 1);
      const int out = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
      ::execv(path.c_str(), argv.data());
      ::_exit(127);
    }
    for (SocketUnit& unit : units) unit.socket.reset();  // the daemon holds them now
  }
  ~ActivatedDaemon() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  ActivatedDaemon(const ActivatedDaemon&) = delete;
  ActivatedDaemon& operator=(const ActivatedDaemon&) = delete;

  // Its wait status once it exits, or nullopt if it is still running after `timeout`.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(10ms);
    }
  }
  std::optional<int> stop() {
    ::kill(pid_, SIGTERM);
    return wait_for_exit(3s);
  }
  [[nodiscard]] std::string log() const {
    std::ifstream in(log_path_);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

 private:
  TempDir dir_;
  std::string log_path_;
  pid_t pid_ = -1;
};

TEST(Service, SocketActivationAcceptsOnTheInheritedSocket) {
  std::vector<SocketUnit> units;
  units.emplace_back("chatroomd.socket");
  const std::uint16_t port = units[0].port;
  // As from a manager that passes no names. The port option names a port in use: the inherited
  // socket must be used instead.
  const SocketUnit taken("taken");
  ActivatedDaemon daemon(units, {"--port", std::to_string(taken.port)}, /*with_names=*/false);

  TestClient alice(port);
  TestClient bob(port);
  alice.send("via systemd's socket\n");
  EXPECT_EQ(bob.read_line(), "<" + alice.name() + ">:\tvia systemd's socket\n");
  EXPECT_EQ(alice.welcome(), "connected to chat room at : 127.0.0.1:" + std::to_string(port) + "\n");
  EXPECT_TRUE(exited_with_zero(daemon.stop())) << daemon.log();
}

TEST(Service, NamedSocketsGoToTheirListenersChatIrcAndHttp) {
  std::vector<SocketUnit> units;
  units.emplace_back("chat");
  units.emplace_back("irc");
  units.emplace_back("http");
  units.emplace_back("chat");  // a unit may listen on more than one address
  const std::uint16_t chat = units[0].port;
  const std::uint16_t irc = units[1].port;
  const std::uint16_t http = units[2].port;
  const std::uint16_t second_chat = units[3].port;
  // Every port option names a port in use: a listener that bound instead of taking its socket
  // would stop the start.
  const SocketUnit taken("taken");
  const std::string busy = std::to_string(taken.port);
  ActivatedDaemon daemon(units, {"--port", busy, "--irc-port", busy, "--http-port", busy, "--announce-max-room", "0"});

  TestClient line_user(chat);
  EXPECT_EQ(line_user.welcome(), "connected to chat room at : 127.0.0.1:" + std::to_string(chat) + "\n");
  line_user.send("\\nick bob\n");
  ASSERT_EQ(line_user.read_line(), "* you are now known as bob\n");
  TestClient other_line_user(second_chat);
  EXPECT_EQ(other_line_user.welcome(), "connected to chat room at : 127.0.0.1:" + std::to_string(second_chat) + "\n");

  TestClient irc_user(irc, "127.0.0.1", /*read_welcome=*/false);
  irc_user.send("NICK ann\r\nUSER ann 0 * :Ann\r\n");
  std::string registration;
  while (const auto line = irc_user.read_line()) {
    registration += *line;
    if (line->find(" 366 ann #lobby ") != std::string::npos) break;
  }
  EXPECT_EQ(registration.rfind(":chatroomd 001 ann :", 0), 0U) << registration;
  line_user.send("hello IRC\n");
  EXPECT_EQ(other_line_user.read_line(), "<bob>:\thello IRC\n");
  EXPECT_EQ(irc_user.read_line(), ":bob!bob@chatroomd PRIVMSG #lobby :hello IRC\r\n");

  TestClient web(http, "127.0.0.1", /*read_welcome=*/false);
  web.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(web.read_line(), "HTTP/1.1 200 OK\r\n");

  const std::string log = daemon.log();
  EXPECT_NE(log.find("socket 'irc' passed by the service manager"), std::string::npos) << log;
  EXPECT_TRUE(exited_with_zero(daemon.stop())) << daemon.log();
}

TEST(Service, NamedSocketsForTlsAndIrcOverTlsAreTakenToo) {
  const TestCertificates& certificates = TestCertificates::get();
  std::vector<SocketUnit> units;
  units.emplace_back("tls");
  units.emplace_back("irc-tls");
  const std::uint16_t tls = units[0].port;
  const std::uint16_t irc_tls = units[1].port;
  const SocketUnit taken("taken");
  const std::string busy = std::to_string(taken.port);
  // No socket for the plain and IRC ports: those the daemon binds itself, on free ports.
  ActivatedDaemon daemon(units, {"--port", "0", "--irc-port", "0", "--tls-cert", certificates.server().certificate,
                                 "--tls-key", certificates.server().key, "--tls-port", busy, "--irc-tls-port", busy});

  TlsTestClient line_user(tls, certificates.ca());
  EXPECT_EQ(line_user.welcome(), "connected to chat room at : 127.0.0.1:" + std::to_string(tls) + "\n");
  TlsTestClient irc_user(irc_tls, certificates.ca(), "127.0.0.1", /*read_welcome=*/false);
  irc_user.send("NICK ann\r\nUSER ann 0 * :Ann\r\n");
  const std::optional<std::string> welcome = irc_user.read_line();
  ASSERT_TRUE(welcome.has_value()) << daemon.log();
  EXPECT_EQ(welcome->rfind(":chatroomd 001 ann :", 0), 0U) << *welcome;
  EXPECT_TRUE(exited_with_zero(daemon.stop())) << daemon.log();
}

TEST(Service, ASocketForAListenerThatIsOffOrOfAnUnknownNameStopsTheStartWithTheReason) {
  {
    std::vector<SocketUnit> units;
    units.emplace_back("chat");
    units.emplace_back("irc");
    ActivatedDaemon daemon(units, {});  // no --irc-port: IRC is off
    const std::optional<int> status = daemon.wait_for_exit(3s);
    ASSERT_TRUE(status.has_value()) << daemon.log();
    EXPECT_FALSE(exited_with_zero(status));
    EXPECT_NE(daemon.log().find("passed a socket named 'irc', but IRC is off (set irc-port"), std::string::npos)
        << daemon.log();
  }
  {
    std::vector<SocketUnit> units;
    units.emplace_back("gopher");
    ActivatedDaemon daemon(units, {});
    const std::optional<int> status = daemon.wait_for_exit(3s);
    ASSERT_TRUE(status.has_value()) << daemon.log();
    EXPECT_FALSE(exited_with_zero(status));
    EXPECT_NE(daemon.log().find("socket named 'gopher'"), std::string::npos) << daemon.log();
  }
}

TEST(Service, JournalStyleLogsCarrySyslogPrioritiesAndNoTimestamps) {
  DaemonProcess daemon({"--log-target", "journal"});
  TestClient client(daemon.port());
  client.close();
  ASSERT_TRUE(daemon.wait_for_log("<7>client ", 3s)) << daemon.log();
  EXPECT_EQ(daemon.log().rfind("<6>chatroomd listening on 127.0.0.1:", 0), 0U) << daemon.log();
}

}  // namespace
}  // namespace chatroom::testing
