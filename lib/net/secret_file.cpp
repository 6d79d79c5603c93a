// Reading and trimming secret files.
#include "net/secret_file.hpp"

#include <fstream>
#include <stdexcept>
#include <string_view>

namespace chatroom {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\v\f";
constexpr std::size_t kMaxSecretFileBytes = 4096;

}  // namespace

std::string read_secret_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read the password file " + path);
  std::string content(kMaxSecretFileBytes + 1, '\0');
  file.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(file.gcount()));
  if (content.size() > kMaxSecretFileBytes) {
    throw std::runtime_error("the password file " + path + " is larger than 4096 bytes");
  }
  const std::size_t first = content.find_first_not_of(kWhitespace);
  if (first == std::string::npos) throw std::runtime_error("the password file " + path + " is empty");
  return content.substr(first, content.find_last_not_of(kWhitespace) - first + 1);
}

}  // namespace chatroom
