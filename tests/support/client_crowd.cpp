// Connecting, reading and framing for a crowd of test clients.
#include "support/client_crowd.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>

#include "net/socket_address.hpp"

namespace chatroom::testing {
namespace {

// Well under chatroomd's listen backlog, so no SYN is dropped and retried a second later.
constexpr std::size_t kConnectBatch = 256;

}  // namespace

ClientCrowd::ClientCrowd(std::uint16_t port, std::size_t count, std::chrono::milliseconds timeout)
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)), scratch_(256 * 1024) {
  if (!epoll_) throw std::runtime_error("epoll_create1 failed");
  const SocketAddress server = SocketAddress::parse("127.0.0.1", port);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  clients_.reserve(count);
  std::size_t welcomed = 0;
  const LineHandler count_welcome = [&welcomed](std::size_t, std::string_view) { ++welcomed; };
  while (clients_.size() < count) {
    const std::size_t batch_end = std::min(count, clients_.size() + kConnectBatch);
    while (clients_.size() < batch_end) {
      Client client;
      client.socket = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (!client.socket) throw std::runtime_error("socket failed: raise the descriptor limit");
      if (::connect(client.socket.get(), server.data(), server.size()) != 0) {
        throw std::runtime_error("connect failed after " + std::to_string(clients_.size()) + " clients");
      }
      ::fcntl(client.socket.get(), F_SETFL, ::fcntl(client.socket.get(), F_GETFL) | O_NONBLOCK);
      client.name = SocketAddress::local_of(client.socket.get()).to_string();
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.u64 = clients_.size();
      ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, client.socket.get(), &event);
      clients_.push_back(std::move(client));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!read_until([&] { return welcomed == clients_.size(); }, left, count_welcome)) {
      throw std::runtime_error("only " + std::to_string(welcomed) + " of " + std::to_string(clients_.size()) +
                               " clients were welcomed in time");
    }
  }
}

ClientCrowd::~ClientCrowd() = default;

bool ClientCrowd::read_until(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                             const LineHandler& on_line) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<epoll_event, 512> events{};
  while (!done()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const int ready = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                                   static_cast<int>(std::min<long long>(left.count(), 100)));
    if (ready < 0 && errno != EINTR) throw std::runtime_error("epoll_wait failed");
    for (int i = 0; i < ready; ++i) drain(events[static_cast<std::size_t>(i)].data.u64, on_line);
  }
  return true;
}

void ClientCrowd::drain(std::size_t index, const LineHandler& on_line) {
  Client& client = clients_[index];
  if (client.ended) return;
  for (;;) {
    const ssize_t n = ::recv(client.socket.get(), scratch_.data(), scratch_.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      client.ended = true;
      ++ended_;
      ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, client.socket.get(), nullptr);
      return;
    }
    std::string_view bytes(scratch_.data(), static_cast<std::size_t>(n));
    for (std::size_t newline = bytes.find('\n'); newline != std::string_view::npos; newline = bytes.find('\n')) {
      if (client.partial.empty()) {
        on_line(index, bytes.substr(0, newline));
      } else {
        client.partial.append(bytes.substr(0, newline));
        on_line(index, client.partial);
        client.partial.clear();
      }
      bytes.remove_prefix(newline + 1);
    }
    client.partial.append(bytes);
  }
}

}  // namespace chatroom::testing
