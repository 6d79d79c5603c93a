// Blocking sockets with poll() deadlines, like TestClient.
#include "support/stand_in_server.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <stdexcept>

#include "net/socket_address.hpp"

namespace chatroom::testing {
namespace {

bool wait_readable(int fd, std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd poller{fd, POLLIN, 0};
  return ::poll(&poller, 1, static_cast<int>(left.count())) > 0;
}

}  // namespace

StandInServer::StandInServer() {
  const SocketAddress address = SocketAddress::parse("127.0.0.1", 0);
  listener_ = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener_ || ::bind(listener_.get(), address.data(), address.size()) != 0 || ::listen(listener_.get(), 4) != 0) {
    throw std::runtime_error("the stand-in server cannot listen");
  }
  port_ = SocketAddress::local_of(listener_.get()).port();
}

bool StandInServer::accept_client(std::chrono::milliseconds timeout) {
  if (!wait_readable(listener_.get(), std::chrono::steady_clock::now() + timeout)) return false;
  client_ = UniqueFd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  return static_cast<bool>(client_);
}

void StandInServer::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(client_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("the client has gone");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::optional<std::string> StandInServer::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::size_t newline = input_.find('\n');
    if (newline != std::string::npos) {
      std::string line = input_.substr(0, newline + 1);
      input_.erase(0, newline + 1);
      return line;
    }
    if (!wait_readable(client_.get(), deadline)) return std::nullopt;
    char chunk[4096];
    const ssize_t n = ::recv(client_.get(), chunk, sizeof(chunk), 0);
    if (n <= 0) return std::nullopt;
    input_.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace chatroom::testing
