// An immutable, reference-counted byte string: a broadcast is encoded into one SharedBytes and
// every recipient's output queue holds a reference, so N recipients cost N counter increments,
// not N copies. The count is not atomic: chatroom's reactor owns all of these on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace chatroom {

class SharedBytes {
 public:
  SharedBytes() = default;
  // `messages`: how many messages (lines, frames) the bytes carry, for those that count writes
  // in messages rather than bytes (write pacing); one unless several were spelled together.
  static SharedBytes copy_of(std::string_view bytes, std::uint32_t messages = 1);

  SharedBytes(const SharedBytes& other) noexcept : block_(other.block_) { retain(); }
  SharedBytes(SharedBytes&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  SharedBytes& operator=(const SharedBytes& other) noexcept {
    if (block_ != other.block_) {
      release();
      block_ = other.block_;
      retain();
    }
    return *this;
  }
  SharedBytes& operator=(SharedBytes&& other) noexcept {
    if (this != &other) {
      release();
      block_ = std::exchange(other.block_, nullptr);
    }
    return *this;
  }
  ~SharedBytes() { release(); }

  // Inline, like the counting below: a fan-out calls these once or twice per recipient.
  [[nodiscard]] std::string_view view() const {
    return block_ == nullptr ? std::string_view() : std::string_view(block_->bytes(), block_->size);
  }
  [[nodiscard]] const char* data() const { return block_ == nullptr ? nullptr : block_->bytes(); }
  [[nodiscard]] std::size_t size() const { return block_ == nullptr ? 0 : block_->size; }
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] std::uint32_t messages() const { return block_ == nullptr ? 0 : block_->messages; }
  // How many SharedBytes refer to these bytes; for tests and diagnostics.
  [[nodiscard]] std::uint32_t use_count() const { return block_ == nullptr ? 0 : block_->references; }

 private:
  // One allocation: this header, then the bytes.
  struct Block {
    std::uint32_t references;
    std::uint32_t messages;  // in the padding before `size`: the header stays 16 bytes
    std::size_t size;
    [[nodiscard]] char* bytes() { return reinterpret_cast<char*>(this + 1); }
  };

  void retain() noexcept {
    if (block_ != nullptr) ++block_->references;
  }
  void release() noexcept {
    if (block_ != nullptr && --block_->references == 0) destroy(block_);
    block_ = nullptr;
  }
  static void destroy(Block* block) noexcept;

  Block* block_ = nullptr;
};

}  // namespace chatroom
