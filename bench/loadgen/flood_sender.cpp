// Non-blocking writes of a prepared block of lines, polled with the flooders' input so that
// neither direction ever waits on the other.
#include "loadgen/flood_sender.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "loadgen/peer_io.hpp"

namespace chatroom::bench {
namespace {

constexpr std::size_t kBlockBytes = std::size_t{64} << 10;
constexpr int kPollTimeoutMs = 50;  // how soon stop() is noticed when nothing happens

}  // namespace

FloodSender::FloodSender(std::vector<std::unique_ptr<Peer>> flooders, const Wire& wire, std::size_t payload_bytes) {
  std::string payload(1, kFloodPayloadMark);
  payload.append(payload_bytes > 1 ? payload_bytes - 1 : 0, 'f');
  std::string line;
  wire.append_publish(line, payload);
  line_bytes_ = line.size();
  while (block_.size() + line_bytes_ <= kBlockBytes) block_ += line;
  for (auto& peer : flooders) flooders_.push_back(Flooder{std::move(peer)});
  thread_ = std::thread([this] { run(); });
}

FloodSender::~FloodSender() { stop(); }

void FloodSender::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void FloodSender::run() {
  std::vector<pollfd> polled(flooders_.size());
  std::vector<char> discard(std::size_t{64} << 10);
  std::size_t open = flooders_.size();
  while (!stopping_.load(std::memory_order_relaxed) && open > 0) {
    for (std::size_t i = 0; i < flooders_.size(); ++i) {
      polled[i] = {flooders_[i].peer ? flooders_[i].peer->fd.get() : -1, POLLIN | POLLOUT, 0};
    }
    if (::poll(polled.data(), polled.size(), kPollTimeoutMs) <= 0) continue;
    for (std::size_t i = 0; i < flooders_.size(); ++i) {
      Flooder& flooder = flooders_[i];
      if (!flooder.peer || serve(flooder, polled[i].revents, discard)) continue;
      flooder.peer.reset();
      disconnected_.fetch_add(1, std::memory_order_relaxed);
      --open;
    }
  }
}

bool FloodSender::serve(Flooder& flooder, short revents, std::vector<char>& discard) {
  if ((revents & (POLLERR | POLLHUP)) != 0) return false;
  if ((revents & POLLIN) != 0 || flooder.peer->tls) {
    const ssize_t n = peer_read(*flooder.peer, discard.data(), discard.size());
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return false;
  }
  if ((revents & POLLOUT) == 0) return true;
  const ssize_t n = peer_send(*flooder.peer, block_.data() + flooder.block_offset, block_.size() - flooder.block_offset);
  if (n < 0) return errno == EAGAIN || errno == EINTR;
  const std::uint64_t lines_before = flooder.bytes_sent / line_bytes_;
  flooder.block_offset = (flooder.block_offset + static_cast<std::size_t>(n)) % block_.size();
  flooder.bytes_sent += static_cast<std::uint64_t>(n);
  lines_sent_.fetch_add(flooder.bytes_sent / line_bytes_ - lines_before, std::memory_order_relaxed);
  return true;
}

}  // namespace chatroom::bench
