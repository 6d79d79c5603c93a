// Batched non-blocking connects and the set-up handshake.
#include "loadgen/connector.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>

#include "loadgen/peer_io.hpp"
#include "net/socket_address.hpp"
#include "tls/tls_client_context.hpp"

namespace chatroom::bench {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(10);

// Wire events during set-up: readiness and errors, and the answers a protocol's set-up needs
// (IRC's JOIN after its welcome, pongs), queued on the peer.
struct SetupEvents final : WireEvents {
  SetupEvents(const Wire& protocol, Peer& client) : wire(protocol), peer(client) {}
  const Wire& wire;
  Peer& peer;
  bool ready = false;
  std::string error;
  void on_ready() override { ready = true; }
  void on_payload(std::string_view) override {}
  void on_protocol_error(std::string_view what) override { error = std::string(what); }
  void on_registered() override { wire.append_after_registration(peer.output); }
  void on_ping(std::string_view payload) override { wire.append_pong(peer.output, payload); }
};

std::string client_name(PeerRole role, int index) {
  std::string name = role == PeerRole::Receiver ? "r" : role == PeerRole::Sender ? "s" : "f";
  name.append(std::to_string(index));  // not "r" + ...: GCC 12 at -O3 warns falsely (-Wrestrict)
  return name;
}

}  // namespace

void raise_descriptor_limit(std::size_t needed) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur < needed) {
    throw std::runtime_error("need " + std::to_string(needed) + " file descriptors but the limit is " +
                             std::to_string(limit.rlim_cur) + " (raise it with ulimit -n)");
  }
}

// Connects `count` peers, `batch` at a time so the server's listen backlog never overflows,
// and waits until each is ready (welcomed, subscribed or joined). Peers that are ready keep
// being read until the last one is: an IRC server tells every member of a channel about each
// join, and one that finds those lines unread drops the member as a slow reader.
std::vector<std::unique_ptr<Peer>> connect_peers(const LoadConfig& config, const Wire& wire, const Target& target,
                                                 int count, int first_index, PeerRole role) {
  const bool senders = role != PeerRole::Receiver;
  const SocketAddress address = SocketAddress::parse(target.host, target.port);
  std::vector<std::unique_ptr<Peer>> peers;
  const bool wait_ready = !senders || wire.sender_waits_for_ready();
  UniqueFd epoll_fd(::epoll_create1(EPOLL_CLOEXEC));
  // No verification: the load tool measures, it does not trust (a self-signed test certificate
  // is what it usually meets). Sessions keep the context alive after this returns.
  std::optional<TlsClientContext> tls;
  if (config.tls) tls.emplace(TlsClientSettings{std::nullopt, false});
  std::vector<char> scratch(64 << 10);
  for (int first = 0; first < count; first += config.connect_batch) {
    const int last = std::min(count, first + config.connect_batch);
    int waiting = 0;
    for (int i = first; i < last; ++i) {
      auto peer = std::make_unique<Peer>();
      peer->index = first_index + i;
      peer->is_sender = senders;
      peer->fd = UniqueFd(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
      if (!peer->fd) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
      const int one = 1;
      ::setsockopt(peer->fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      if (::connect(peer->fd.get(), address.data(), address.size()) != 0 && errno != EINPROGRESS) {
        throw std::runtime_error("cannot connect to " + target.to_string() + ": " + std::strerror(errno));
      }
      if (tls) peer->tls = tls->new_session(peer->fd.get(), target.host);
      std::string hello;
      wire.append_connect(hello, target, client_name(role, peer->index));
      if (!senders) wire.append_subscribe(hello);
      peer->output = hello;
      epoll_event event{};
      event.events = EPOLLIN | EPOLLOUT;
      event.data.u64 = static_cast<std::uint64_t>(peers.size());
      ::epoll_ctl(epoll_fd.get(), EPOLL_CTL_ADD, peer->fd.get(), &event);
      peers.push_back(std::move(peer));
      ++waiting;
    }
    const auto deadline = std::chrono::steady_clock::now() + kConnectTimeout;
    // Room for every peer so far: those already ready stay readable, and must not crowd the
    // batch still connecting out of a wait.
    std::vector<epoll_event> events(peers.size());
    while (waiting > 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("timed out connecting to " + target.to_string());
      }
      const int n = ::epoll_wait(epoll_fd.get(), events.data(), static_cast<int>(events.size()), 100);
      for (int e = 0; e < n; ++e) {
        Peer& peer = *peers[events[static_cast<std::size_t>(e)].data.u64];
        const bool only_draining = peer.ready;
        int error = 0;
        socklen_t length = sizeof(error);
        ::getsockopt(peer.fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
          throw std::runtime_error("cannot connect to " + target.to_string() + ": " + std::strerror(error));
        }
        if (!advance_handshake(peer)) continue;
        if (!peer.output.empty()) {
          const ssize_t sent = peer_send(peer, peer.output.data(), peer.output.size());
          if (sent > 0) peer.output.erase(0, static_cast<std::size_t>(sent));
        }
        // A TLS session may hold decrypted bytes the socket no longer announces: always try.
        if ((events[static_cast<std::size_t>(e)].events & EPOLLIN) != 0 || peer.tls) {
          const ssize_t got = peer_read(peer, scratch.data(), scratch.size());
          if (got == 0) throw std::runtime_error("the server closed a connection during set-up");
          if (got > 0) {
            peer.input.append(scratch.data(), static_cast<std::size_t>(got));
            SetupEvents setup(wire, peer);
            peer.input.erase(0, wire.parse(peer.input, setup));
            if (!setup.error.empty()) throw std::runtime_error("server error during set-up: " + setup.error);
            peer.ready = peer.ready || setup.ready;
            if (!peer.output.empty()) {  // answers: a few bytes, sent now
              const ssize_t sent = peer_send(peer, peer.output.data(), peer.output.size());
              if (sent > 0) peer.output.erase(0, static_cast<std::size_t>(sent));
            }
          }
        }
        if (only_draining) continue;
        if (!wait_ready && peer.output.empty()) peer.ready = true;
        if (peer.ready) {
          epoll_event readable{};
          readable.events = EPOLLIN;
          readable.data.u64 = events[static_cast<std::size_t>(e)].data.u64;
          ::epoll_ctl(epoll_fd.get(), EPOLL_CTL_MOD, peer.fd.get(), &readable);
          --waiting;
        }
      }
    }
  }
  return peers;
}

}  // namespace chatroom::bench
