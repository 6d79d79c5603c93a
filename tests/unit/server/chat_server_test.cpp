// ChatServer's turn discipline, stepped turn by turn over real loopback sockets.
#include "server/chat_server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>

#include "net/socket_io.hpp"
#include "net/tcp_connect.hpp"

namespace chatroom {
namespace {

using namespace std::chrono_literals;

// Everything the client socket takes now, without blocking: a flooder keeping the server's
// receive buffer full.
std::size_t send_what_fits(int fd, const std::string& lines) {
  std::size_t sent = 0;
  for (int round = 0; round < 64; ++round) {
    const ssize_t n = ::send(fd, lines.data(), lines.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  return sent;
}

TEST(ChatServerReadBudget, AFlooderIsReadAtMostOneBudgetPerTurn) {
  const SteadyClock clock;
  Reactor reactor(clock);
  ServerLimits limits;
  limits.read_budget_bytes = 4096;
  limits.rate_limit_lines_per_s = 0;  // every line is read and handled, none dropped
  ChatServer server(reactor, Listener(SocketAddress::parse("127.0.0.1", 0), 16), limits,
                    HubSettings{.history_lines = 0, .announce_max_members = 0});
  const UniqueFd flooder = connect_tcp("127.0.0.1", server.address().port(), 2s);
  while (server.client_count() < 1) reactor.run_once(10ms);

  std::string lines;
  for (int i = 0; i < 64; ++i) lines += std::string(63, 'f') + "\n";
  std::uint64_t read_before = server.stats().bytes_received;
  std::size_t most_in_one_turn = 0;
  std::uint64_t total_read = 0;
  for (int turn = 0; turn < 200; ++turn) {
    send_what_fits(flooder.get(), lines);  // a new readable edge every turn
    reactor.run_once(0ms);
    const std::uint64_t read_now = server.stats().bytes_received;
    most_in_one_turn = std::max<std::size_t>(most_in_one_turn, read_now - read_before);
    total_read += read_now - read_before;
    read_before = read_now;
  }
  EXPECT_LE(most_in_one_turn, limits.read_budget_bytes) << "one connection read more than one budget in a turn";
  EXPECT_GE(total_read, 150U * limits.read_budget_bytes) << "a budgeted connection must still be read every turn";
}

}  // namespace
}  // namespace chatroom
