// Reading a secret (a password) from a file: its content without surrounding whitespace, so
// a trailing newline from an editor or `echo` is not part of it. Every password file goes
// through it: the daemon's --password-file and --cluster-password-file, and the client's.
#pragma once

#include <string>

namespace chatroom {

// Throws std::runtime_error naming the file if it cannot be read, is larger than 4 KiB (a
// secret is a line, not a document), or holds only whitespace.
std::string read_secret_file(const std::string& path);

}  // namespace chatroom
