// fork/exec with a pipe for the output.
#include "support/run_command.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace chatroom::testing {

CommandOutcome run_command(std::vector<std::string> argv_strings) {
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(out[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::execvp(argv[0], argv.data());  // a bare name is looked up in PATH
    ::_exit(127);
  }
  ::close(out[1]);
  CommandOutcome outcome;
  char chunk[4096];
  ssize_t n = 0;
  while ((n = ::read(out[0], chunk, sizeof(chunk))) > 0) outcome.output.append(chunk, static_cast<std::size_t>(n));
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

}  // namespace chatroom::testing
