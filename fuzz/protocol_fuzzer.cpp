// libFuzzer entry point: every input must satisfy the protocol properties.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "protocol_properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto broken = chatroom::fuzz::check_protocol_properties({reinterpret_cast<const char*>(data), size});
  if (broken) {
    std::fprintf(stderr, "protocol property broken: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
