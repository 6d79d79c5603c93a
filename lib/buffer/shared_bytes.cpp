// One allocation per SharedBytes: a small header followed by the bytes.
#include "buffer/shared_bytes.hpp"

#include <cassert>
#include <cstring>
#include <new>

namespace chatroom {

struct SharedBytes::Block {
  std::uint32_t references;
  std::size_t size;

  char* bytes() { return reinterpret_cast<char*>(this + 1); }
};

SharedBytes SharedBytes::copy_of(std::string_view bytes) {
  void* memory = ::operator new(sizeof(Block) + bytes.size());
  auto* block = new (memory) Block{1, bytes.size()};
  if (!bytes.empty()) std::memcpy(block->bytes(), bytes.data(), bytes.size());
  SharedBytes result;
  result.block_ = block;
  return result;
}

SharedBytes& SharedBytes::operator=(const SharedBytes& other) noexcept {
  if (block_ != other.block_) {
    release();
    block_ = other.block_;
    retain();
  }
  return *this;
}

SharedBytes& SharedBytes::operator=(SharedBytes&& other) noexcept {
  if (this != &other) {
    release();
    block_ = std::exchange(other.block_, nullptr);
  }
  return *this;
}

std::string_view SharedBytes::view() const {
  if (block_ == nullptr) return {};
  return {block_->bytes(), block_->size};
}

std::size_t SharedBytes::size() const { return block_ == nullptr ? 0 : block_->size; }

std::uint32_t SharedBytes::use_count() const { return block_ == nullptr ? 0 : block_->references; }

void SharedBytes::retain() noexcept {
  if (block_ != nullptr) ++block_->references;
}

void SharedBytes::release() noexcept {
  if (block_ == nullptr) return;
  assert(block_->references > 0);
  if (--block_->references == 0) {
    block_->~Block();
    ::operator delete(block_);
  }
  block_ = nullptr;
}

}  // namespace chatroom
