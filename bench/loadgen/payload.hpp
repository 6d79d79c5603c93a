// The load tool's message body: sender number, sequence number and send time, padded to the
// requested size, as printable text so it passes chatroomd's sanitiser unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatroom::bench {

struct PayloadStamp {
  std::uint32_t sender = 0;
  std::uint64_t sequence = 0;
  std::int64_t sent_ns = 0;  // CLOCK_MONOTONIC
};

// The smallest payload that holds any stamp.
inline constexpr std::size_t kMinPayloadBytes = 48;

// Appends a payload of exactly max(size, kMinPayloadBytes) bytes.
void append_payload(std::string& out, const PayloadStamp& stamp, std::size_t size);
[[nodiscard]] std::optional<PayloadStamp> parse_payload(std::string_view payload);

}  // namespace chatroom::bench
