// Micro-benchmarks of what framing costs a write: a batch of queued chat lines described for
// one sendmsg as WebSocket text frames, against the same batch gathered for a plain socket.
#include <benchmark/benchmark.h>
#include <sys/uio.h>

#include <array>
#include <string>
#include <vector>

#include "buffer/output_queue.hpp"
#include "websocket/websocket_frame_writer.hpp"

namespace chatroom {
namespace {

constexpr std::size_t kStagingBytes = std::size_t{64} << 10;

// `lines` broadcasts of a 64-byte payload, as a recipient's queue holds them.
void fill(OutputQueue& queue, int lines) {
  const SharedBytes line = SharedBytes::copy_of("<127.0.0.1:40000>:\t" + std::string(64, 'x') + "\n");
  for (int i = 0; i < lines; ++i) queue.push(line);
}

void BM_PlainGatherBatch(benchmark::State& state) {
  OutputQueue queue;
  fill(queue, static_cast<int>(state.range(0)));
  std::vector<char> staging(kStagingBytes);
  std::array<iovec, 256> iovecs;
  for (auto _ : state) benchmark::DoNotOptimize(queue.gather(iovecs, staging));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PlainGatherBatch)->Arg(1)->Arg(16)->Arg(128);

void BM_WebSocketFrameBatch(benchmark::State& state) {
  OutputQueue queue;
  fill(queue, static_cast<int>(state.range(0)));
  std::vector<char> staging(kStagingBytes);
  std::array<iovec, 256> iovecs;
  WebSocketFrameWriter writer;
  for (auto _ : state) {
    const WebSocketFrameWriter::Described described = writer.describe({}, queue, iovecs, staging);
    // The kernel took it all, as it nearly always does.
    benchmark::DoNotOptimize(writer.account(described.wire_bytes, described, {}, queue));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WebSocketFrameBatch)->Arg(1)->Arg(16)->Arg(128);

}  // namespace
}  // namespace chatroom
