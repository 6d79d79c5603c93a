// fork/exec of the chatroom client.
#include "support/client_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace chatroom::testing {

std::string chatroom_client_path() {
  const char* path = std::getenv("CHATROOM_CLIENT");
  if (path == nullptr) throw std::runtime_error("CHATROOM_CLIENT is not set; run the tests with meson test");
  return path;
}

ClientProcess::ClientProcess(std::vector<std::string> args) : ClientProcess(chatroom_client_path(), std::move(args)) {}

ClientProcess::ClientProcess(const std::string& program, std::vector<std::string> args) {
  args.insert(args.begin(), program);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string output_file = dir_.file("output");
  int input_pipe[2];
  if (::pipe2(input_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(input_pipe[0], STDIN_FILENO);
    const int out = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(out, STDERR_FILENO);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(input_pipe[0]);
  input_ = UniqueFd(input_pipe[1]);
}

ClientProcess::~ClientProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void ClientProcess::type(const std::string& text) {
  if (::write(input_.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    throw std::runtime_error("writing to the client's stdin failed");
  }
}

void ClientProcess::close_input() { input_.reset(); }

std::optional<int> ClientProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string ClientProcess::output() const {
  std::ifstream in(dir_.file("output"));
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

bool ClientProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (output().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return output().find(text) != std::string::npos;
}

}  // namespace chatroom::testing
