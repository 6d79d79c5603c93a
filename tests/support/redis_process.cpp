// fork/exec of redis-server, and redis-cli for questions.
#include "support/redis_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "net/unique_fd.hpp"
#include "support/run_command.hpp"

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

// A port nobody listens on now. Another process may take it before Redis does; start()
// then fails and the caller tries another.
std::uint16_t free_loopback_port() {
  const UniqueFd probe(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(probe.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot find a free loopback port");
  }
  return ntohs(address.sin_port);
}

}  // namespace

bool redis_available() {
  return run_command({"redis-server", "--version"}).exit_code == 0 &&
         run_command({"redis-cli", "--version"}).exit_code == 0;
}

RedisProcess::RedisProcess(std::optional<std::uint16_t> port, std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)) {
  if (port) {
    start(*port);
    return;
  }
  for (int attempt = 0;; ++attempt) {
    try {
      start(free_loopback_port());
      return;
    } catch (const std::exception&) {
      if (attempt == 4) throw;
    }
  }
}

RedisProcess::~RedisProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string RedisProcess::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

void RedisProcess::start(std::uint16_t port) {
  port_ = port;
  std::vector<std::string> args{"redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", dir_.path().string(),
                                "--logfile", dir_.file("redis.log")};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::close_range(3, ~0U, 0);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (answers_ping()) return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start-up on port " + std::to_string(port) + ": " +
                               read_file(dir_.file("redis.log")));
    }
    std::this_thread::sleep_for(10ms);
  }
  throw std::runtime_error("redis-server did not answer on port " + std::to_string(port));
}

bool RedisProcess::answers_ping() const {
  // A server with requirepass answers NOAUTH: it is up all the same.
  const std::string answer = cli({"PING"});
  return answer.find("PONG") != std::string::npos || answer.find("NOAUTH") != std::string::npos;
}

void RedisProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGCONT);
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisProcess::restart() {
  kill();
  start(port_);
}

void RedisProcess::pause() { ::kill(pid_, SIGSTOP); }
void RedisProcess::resume() { ::kill(pid_, SIGCONT); }

std::string RedisProcess::cli(const std::vector<std::string>& arguments) const {
  // timeout(1): redis-cli would wait for ever on a paused server.
  std::vector<std::string> argv{"timeout", "5", "redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port_)};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_command(argv).output;
}

std::string RedisProcess::info_field(const std::string& section, const std::string& field) const {
  const std::string info = cli({"INFO", section});
  const std::size_t at = info.find(field + ":");
  if (at == std::string::npos) return {};
  const std::size_t end = info.find_first_of("\r\n", at);
  return info.substr(at + field.size() + 1, end - at - field.size() - 1);
}

}  // namespace chatroom::testing
