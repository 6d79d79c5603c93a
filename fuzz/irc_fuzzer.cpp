// libFuzzer entry point: whatever lines an IRC client sends, the parser's properties hold.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "irc_properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto broken = chatroom::fuzz::check_irc_properties({reinterpret_cast<const char*>(data), size});
  if (broken) {
    std::fprintf(stderr, "irc property broken: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
