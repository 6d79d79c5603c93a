// Thousands of chat clients in one test thread: non-blocking sockets read together through one
// epoll set, each client's input split into lines. For tests whose point is the number.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "net/unique_fd.hpp"

namespace chatroom::testing {

class ClientCrowd {
 public:
  // Called for each complete line, without its "\n", with the index of the client it reached.
  using LineHandler = std::function<void(std::size_t client, std::string_view line)>;

  // Connects `count` clients to 127.0.0.1:`port` a batch at a time (so the listen backlog
  // never overflows) and waits for every welcome line. Throws if that takes over `timeout`.
  ClientCrowd(std::uint16_t port, std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(60));
  ~ClientCrowd();
  ClientCrowd(const ClientCrowd&) = delete;
  ClientCrowd& operator=(const ClientCrowd&) = delete;

  [[nodiscard]] std::size_t size() const { return clients_.size(); }
  [[nodiscard]] int fd(std::size_t client) const { return clients_[client].socket.get(); }
  // "ip:port", as the server names this client.
  [[nodiscard]] const std::string& name(std::size_t client) const { return clients_[client].name; }
  // Clients whose connection has ended (EOF or error).
  [[nodiscard]] std::size_t ended() const { return ended_; }

  // Reads what arrives until `done()` holds (checked after each batch of events) or `timeout`
  // passes; true if `done()` held.
  bool read_until(const std::function<bool()>& done, std::chrono::milliseconds timeout, const LineHandler& on_line);

 private:
  struct Client {
    UniqueFd socket;
    std::string name;
    std::string partial;
    bool ended = false;
  };
  // Reads everything available from one client; false once it has ended.
  void drain(std::size_t client, const LineHandler& on_line);

  UniqueFd epoll_;
  std::vector<Client> clients_;
  std::vector<char> scratch_;
  std::size_t ended_ = 0;
};

}  // namespace chatroom::testing
