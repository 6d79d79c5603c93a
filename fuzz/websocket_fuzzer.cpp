// libFuzzer entry point: whatever a WebSocket client sends, the transport's properties hold.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "websocket_properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto broken = chatroom::fuzz::check_websocket_properties({reinterpret_cast<const char*>(data), size});
  if (broken) {
    std::fprintf(stderr, "websocket property broken: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
