// Runs a program (a path, or a name looked up in PATH) to completion with stdin on /dev/null, capturing its stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace chatroom::testing {

struct CommandOutcome {
  int exit_code = -1;  // -1 if it did not exit normally
  std::string output;  // stdout and stderr, interleaved
};

CommandOutcome run_command(std::vector<std::string> argv);

}  // namespace chatroom::testing
