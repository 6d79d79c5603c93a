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
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net/socket_address.hpp"
#include "support/daemon_process.hpp"
#include "support/test_client.hpp"

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

TEST(Service, SocketActivationAcceptsOnTheInheritedSocket) {
  UniqueFd listening(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const SocketAddress any = SocketAddress::parse("127.0.0.1", 0);
  ASSERT_EQ(::bind(listening.get(), any.data(), any.size()), 0);
  ASSERT_EQ(::listen(listening.get(), 16), 0);
  const std::uint16_t port = SocketAddress::local_of(listening.get()).port();
  TempDir dir;
  const std::string log = dir.file("log");

  const std::string path = chatroomd_path();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // What systemd does: the socket as fd 3, LISTEN_FDS=1, LISTEN_PID naming the daemon.
    ::dup2(listening.get(), 3);
    ::fcntl(3, F_SETFD, 0);  // dup2 onto itself would leave close-on-exec set
    ::setenv("LISTEN_FDS", "1", 1);
    ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    // --port 1 would fail to bind: the inherited socket must be used instead.
    ::execl(path.c_str(), path.c_str(), "--port", "1", "--no-console", nullptr);
    ::_exit(127);
  }
  listening.reset();  // the daemon holds it now

  TestClient alice(port);
  TestClient bob(port);
  alice.send("via systemd's socket\n");
  EXPECT_EQ(bob.read_line(), "<" + alice.name() + ">:\tvia systemd's socket\n");
  EXPECT_EQ(alice.welcome(), "connected to chat room at : 127.0.0.1:" + std::to_string(port) + "\n");

  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
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
