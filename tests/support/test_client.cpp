// Blocking socket helpers for tests, with poll() deadlines so a broken server fails a test
// instead of hanging it.
#include "support/test_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <stdexcept>

#include "net/socket_address.hpp"

namespace chatroom::testing {

TestClient::TestClient(std::uint16_t port, const std::string& host, bool read_welcome) {
  const SocketAddress address = SocketAddress::parse(host, port);
  fd_ = UniqueFd(::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd_) throw std::runtime_error("socket failed");
  if (::connect(fd_.get(), address.data(), address.size()) != 0) {
    throw std::runtime_error("connect to " + address.to_string() + " failed");
  }
  name_ = SocketAddress::local_of(fd_.get()).to_string();
  if (read_welcome) {
    const auto line = read_line();
    if (!line) throw std::runtime_error("no welcome line");
    welcome_ = *line;
  }
}

TestClient::TestClient(UniqueFd connected) : fd_(std::move(connected)) {
  name_ = SocketAddress::local_of(fd_.get()).to_string();
}

void TestClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("send failed");
    }
    sent += static_cast<std::size_t>(n);
  }
}

void TestClient::send_lines(int count, std::size_t length, char fill) {
  const std::string line = std::string(length, fill) + "\n";
  for (int i = 0; i < count; ++i) send(line);
}

LineReader::Received TestClient::receive_some(std::string& into, Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return Received::Nothing;
  pollfd poller{fd_.get(), POLLIN, 0};
  if (::poll(&poller, 1, static_cast<int>(left.count())) <= 0) return Received::Nothing;
  char chunk[65536];
  const ssize_t n = ::recv(fd_.get(), chunk, sizeof(chunk), 0);
  if (n <= 0) return Received::End;
  into.append(chunk, static_cast<std::size_t>(n));
  return Received::Bytes;
}

void TestClient::reset() {
  const linger hard_close{1, 0};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &hard_close, sizeof(hard_close));
  fd_.reset();
}

void TestClient::set_receive_buffer(int bytes) {
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

std::string chat_line(const TestClient& sender, const std::string& text) {
  return "<" + sender.name() + ">:\t" + text + "\n";
}

bool ipv6_loopback_available() {
  std::ifstream interfaces("/proc/net/if_inet6");
  std::string line;
  while (std::getline(interfaces, line)) {
    if (line.rfind("00000000000000000000000000000001", 0) == 0) return true;
  }
  return false;
}

}  // namespace chatroom::testing
