// One allocation per SharedBytes: a small header followed by the bytes.
#include "buffer/shared_bytes.hpp"

#include <cstring>
#include <new>

namespace chatroom {

SharedBytes SharedBytes::copy_of(std::string_view bytes, std::uint32_t messages) {
  void* memory = ::operator new(sizeof(Block) + bytes.size());
  auto* block = new (memory) Block{1, messages, bytes.size()};
  if (!bytes.empty()) std::memcpy(block->bytes(), bytes.data(), bytes.size());
  SharedBytes result;
  result.block_ = block;
  return result;
}

void SharedBytes::destroy(Block* block) noexcept {
  block->~Block();
  ::operator delete(block);
}

}  // namespace chatroom
