// Memory that all connections of one loop share for their reads and writes. A read is framed,
// and a write's staged bytes are copied by the kernel, before the call that used the buffer
// returns, so one buffer of each serves every connection and an idle connection holds none.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace chatroom {

class ScratchBuffers {
 public:
  // Enough for one gathered write of a typical backlog: a turn's worth of chat lines, or a
  // socket buffer's worth of a bigger backlog.
  static constexpr std::size_t kDefaultWriteStagingBytes = std::size_t{64} << 10;

  explicit ScratchBuffers(std::size_t read_bytes, std::size_t write_staging_bytes = kDefaultWriteStagingBytes)
      : read_(read_bytes), write_staging_(write_staging_bytes) {}

  [[nodiscard]] std::span<char> read() { return read_; }
  [[nodiscard]] std::span<char> write_staging() { return write_staging_; }

 private:
  std::vector<char> read_;
  std::vector<char> write_staging_;
};

}  // namespace chatroom
