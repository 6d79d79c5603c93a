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
  static SharedBytes copy_of(std::string_view bytes);

  SharedBytes(const SharedBytes& other) noexcept : block_(other.block_) { retain(); }
  SharedBytes(SharedBytes&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  SharedBytes& operator=(const SharedBytes& other) noexcept;
  SharedBytes& operator=(SharedBytes&& other) noexcept;
  ~SharedBytes() { release(); }

  [[nodiscard]] std::string_view view() const;
  [[nodiscard]] const char* data() const { return view().data(); }
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] bool empty() const { return size() == 0; }
  // How many SharedBytes refer to these bytes; for tests and diagnostics.
  [[nodiscard]] std::uint32_t use_count() const;

 private:
  struct Block;

  void retain() noexcept;
  void release() noexcept;

  Block* block_ = nullptr;
};

}  // namespace chatroom
