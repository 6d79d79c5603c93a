// Micro-benchmarks of the per-line protocol work: framing, sanitising and encoding.
#include <benchmark/benchmark.h>

#include <string>

#include "protocol/line_framer.hpp"
#include "protocol/text_sanitizer.hpp"
#include "protocol/wire_format.hpp"

namespace chatroom {
namespace {

struct CountingSink final : LineSink {
  std::size_t lines = 0;
  FeedControl on_line(std::string_view) override {
    ++lines;
    return FeedControl::Continue;
  }
  FeedControl on_line_too_long() override { return FeedControl::Continue; }
};

void BM_LineFramer64ByteLines(benchmark::State& state) {
  std::string chunk;
  while (chunk.size() + 65 <= 64 * 1024) chunk += std::string(64, 'a') + "\n";
  LineFramer framer(4096);
  CountingSink sink;
  for (auto _ : state) framer.feed(chunk, sink);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(chunk.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(sink.lines));
}
BENCHMARK(BM_LineFramer64ByteLines);

void BM_SanitizeAscii(benchmark::State& state) {
  const std::string text(static_cast<std::size_t>(state.range(0)), 'x');
  std::string out;
  for (auto _ : state) {
    out.clear();
    append_sanitized(out, text);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SanitizeAscii)->Arg(64)->Arg(4096);

void BM_SanitizeMixedUtf8(benchmark::State& state) {
  std::string text;
  while (text.size() < 4096) text += "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 plain words ";
  std::string out;
  for (auto _ : state) {
    out.clear();
    append_sanitized(out, text);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_SanitizeMixedUtf8);

void BM_EncodeChatLine64(benchmark::State& state) {
  const std::string text(64, 'e');
  std::string scratch;
  for (auto _ : state) benchmark::DoNotOptimize(encode_chat_line("127.0.0.1:40000", text, scratch));
}
BENCHMARK(BM_EncodeChatLine64);

}  // namespace
}  // namespace chatroom

BENCHMARK_MAIN();
