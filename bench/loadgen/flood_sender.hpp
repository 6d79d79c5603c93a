// Flooders for chatroom-bench: clients that send lines as fast as the server will take them,
// on a thread of their own, to measure what one flat-out client costs everyone else. They
// read and discard whatever they receive, so they are never cut off for not reading.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "loadgen/peer.hpp"
#include "loadgen/wire.hpp"

namespace chatroom::bench {

// The first byte of a flood payload; a stamped broadcast starts with 'B'.
inline constexpr char kFloodPayloadMark = 'F';

class FloodSender {
 public:
  // Starts flooding at once; `payload_bytes` sizes each flood line like the measured ones.
  FloodSender(std::vector<std::unique_ptr<Peer>> flooders, const Wire& wire, std::size_t payload_bytes);
  ~FloodSender();
  FloodSender(const FloodSender&) = delete;
  FloodSender& operator=(const FloodSender&) = delete;

  // Stops the flood and waits for its thread.
  void stop();
  [[nodiscard]] std::uint64_t lines_sent() const { return lines_sent_.load(std::memory_order_relaxed); }
  // Flooders the server disconnected (flood control, most likely).
  [[nodiscard]] int disconnected() const { return disconnected_.load(std::memory_order_relaxed); }

 private:
  struct Flooder {
    std::unique_ptr<Peer> peer;  // null once disconnected
    std::size_t block_offset = 0;  // where the next write starts in block_
    std::uint64_t bytes_sent = 0;
  };

  void run();
  // One turn for one flooder: discard its input, write what the socket takes. False once the
  // server has closed it.
  bool serve(Flooder& flooder, short revents, std::vector<char>& discard);

  std::vector<Flooder> flooders_;
  std::string block_;  // whole flood lines, written round and round
  std::size_t line_bytes_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> lines_sent_{0};
  std::atomic<int> disconnected_{0};
  std::thread thread_;
};

}  // namespace chatroom::bench
