// Micro-benchmarks of broadcast fan-out: the room's enqueue cost per recipient, and a real
// ChatServer fanning one line out to N loopback clients per iteration.
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "buffer/output_queue.hpp"
#include "chat/room.hpp"
#include "net/descriptor_limit.hpp"
#include "net/listener.hpp"
#include "protocol/wire_format.hpp"
#include "reactor/reactor.hpp"
#include "server/chat_server.hpp"

namespace chatroom {
namespace {

// A participant that only queues, as a connection does before its flush.
struct QueueingParticipant final : Participant {
  OutputQueue queue;
  void deliver(const SharedBytes& message) override { queue.push(message); }
};

void BM_RoomBroadcastEnqueue(benchmark::State& state) {
  const auto members = static_cast<std::size_t>(state.range(0));
  std::vector<QueueingParticipant> participants(members);
  Room room;
  for (QueueingParticipant& participant : participants) room.join(participant);
  std::string scratch;
  const std::string text(64, 'm');
  for (auto _ : state) {
    // As the hub does: the event, spelled once for the room's one dialect, shared by all.
    const ChatEvent event = ChatEvent::said(ChatKind::Chat, "lobby", "127.0.0.1:40000", text, WallTime());
    Broadcast broadcast(event, scratch);
    benchmark::DoNotOptimize(room.broadcast(broadcast, &participants[0]));
    if (participants[1].queue.chunk_count() >= 64) {
      state.PauseTiming();
      for (QueueingParticipant& participant : participants) participant.queue.clear();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(members - 1));
}
BENCHMARK(BM_RoomBroadcastEnqueue)->Arg(100)->Arg(1000)->Arg(10000);

int connect_to(const SocketAddress& address) {
  const int fd = ::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, address.data(), address.size()) != 0) throw std::runtime_error("connect failed");
  return fd;
}

// Reads `bytes` from a client socket, turning the server's loop while they are not there yet
// (a fan-out to many clients is flushed over several loop turns).
void read_exactly(int fd, std::size_t bytes, Reactor& reactor) {
  char buffer[4096];
  while (bytes > 0) {
    const ssize_t n = ::recv(fd, buffer, std::min(bytes, sizeof(buffer)), MSG_DONTWAIT);
    if (n > 0) {
      bytes -= static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      reactor.run_once(std::chrono::milliseconds(0));
    } else {
      throw std::runtime_error("client lost its connection");
    }
  }
}

// One line from one client fanned out by a real ChatServer to N-1 loopback clients, each
// of which reads its copy: server work plus the kernel's loopback cost, per delivery.
void BM_ChatServerFanOut(benchmark::State& state) {
  raise_descriptor_limit_to_hard();
  const auto clients = static_cast<std::size_t>(state.range(0));
  const SteadyClock clock;
  Reactor reactor(clock);
  // Join notices off: the clients read fixed byte counts, and set-up is not what is measured.
  ServerLimits limits;
  limits.rate_limit_lines_per_s = 0;  // one client sends every line: flood control would drop them
  ChatServer server(reactor, Listener(SocketAddress::parse("127.0.0.1", 0), SOMAXCONN), limits,
                    HubSettings{.history_lines = 20, .announce_max_members = 0});
  std::vector<UniqueFd> fds;
  for (std::size_t i = 0; i < clients; ++i) {
    fds.emplace_back(connect_to(server.address()));
    reactor.run_once(std::chrono::milliseconds(0));
  }
  while (server.client_count() < clients) reactor.run_once(std::chrono::milliseconds(10));
  const std::size_t welcome_bytes = welcome_line(server.address().to_string()).size();
  for (const UniqueFd& fd : fds) read_exactly(fd.get(), welcome_bytes, reactor);

  const std::string text(64, 'f');
  const std::string line = text + "\n";
  std::string scratch;
  const std::size_t delivered_bytes =
      encode_chat_line(SocketAddress::local_of(fds[0].get()).to_string(), text, scratch).size();
  for (auto _ : state) {
    if (::send(fds[0].get(), line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
      state.SkipWithError("send failed");
      break;
    }
    for (std::size_t i = 1; i < clients; ++i) read_exactly(fds[i].get(), delivered_bytes, reactor);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(clients - 1));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>((clients - 1) * delivered_bytes));
}
BENCHMARK(BM_ChatServerFanOut)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace chatroom
