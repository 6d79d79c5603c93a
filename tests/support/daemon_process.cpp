// fork/exec of chatroomd and the bookkeeping around it.
#include "support/daemon_process.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace chatroom::testing {
namespace {

using namespace std::chrono_literals;

}  // namespace

std::string chatroomd_path() {
  const char* path = std::getenv("CHATROOMD");
  if (path == nullptr) throw std::runtime_error("CHATROOMD is not set; run the tests with meson test");
  return path;
}

DaemonProcess::DaemonProcess(std::vector<std::string> extra_args, std::vector<std::string> environment,
                             std::optional<unsigned long> descriptor_limit, std::vector<std::string> launcher) {
  const std::string port_file = dir_.file("port");
  const std::string log_file = dir_.file("chatroomd.log");
  std::vector<std::string> args = std::move(launcher);
  for (std::string arg : {chatroomd_path(), std::string("--port"), std::string("0"), std::string("--port-file"),
                          port_file}) {
    args.push_back(std::move(arg));
  }
  if (std::find(extra_args.begin(), extra_args.end(), "--log-level") == extra_args.end()) {
    args.push_back("--log-level");
    args.push_back("debug");
  }
  // Tests of everything else expect only the lines they are about: room history and
  // join/leave notices are off unless a test turns them on.
  for (const std::string quiet : {"--history", "--announce-max-room"}) {
    if (std::find(extra_args.begin(), extra_args.end(), quiet) == extra_args.end()) {
      args.push_back(quiet);
      args.push_back("0");
    }
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());

  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int console_pipe[2];
  if (::pipe2(console_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    for (std::string& entry : environment) ::putenv(entry.data());
    if (descriptor_limit) {
      const rlimit limit{*descriptor_limit, *descriptor_limit};
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    ::dup2(console_pipe[0], STDIN_FILENO);
    const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);  // the daemon inherits nothing but its three standard streams
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(console_pipe[0]);
  console_ = UniqueFd(console_pipe[1]);

  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = read_file(port_file);
    if (!text.empty()) {
      port_ = static_cast<std::uint16_t>(std::stoi(text));
      return;
    }
    if (wait_for_exit(0ms)) throw std::runtime_error("chatroomd exited at start-up:\n" + log());
    std::this_thread::sleep_for(5ms);
  }
  throw std::runtime_error("chatroomd did not start listening:\n" + log());
}

DaemonProcess::~DaemonProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void DaemonProcess::write_console(const std::string& text) {
  const ssize_t written = ::write(console_.get(), text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size())) throw std::runtime_error("console write failed");
}

void DaemonProcess::close_console() { console_.reset(); }

void DaemonProcess::send_signal(int signo) { ::kill(pid_, signo); }

std::optional<int> DaemonProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(5ms);
  }
}

std::size_t DaemonProcess::open_descriptors() const {
  std::error_code ignored;
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/fd", ignored)) {
    ++count;
  }
  return count;
}

double DaemonProcess::cpu_seconds() const {
  std::istringstream stat(read_file("/proc/" + std::to_string(pid_) + "/stat"));
  std::string field;
  // Fields 14 and 15 are utime and stime, in clock ticks; field 2 is "(comm)" without spaces here.
  long long utime = 0;
  long long stime = 0;
  for (int index = 1; index <= 15 && stat >> field; ++index) {
    if (index == 14) utime = std::stoll(field);
    if (index == 15) stime = std::stoll(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::size_t DaemonProcess::resident_bytes() const {
  std::istringstream status(read_file("/proc/" + std::to_string(pid_) + "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  }
  return 0;
}

std::string DaemonProcess::log() const { return read_file(dir_.file("chatroomd.log")); }

bool DaemonProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (log().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(10ms);
  }
  return log().find(text) != std::string::npos;
}

}  // namespace chatroom::testing
