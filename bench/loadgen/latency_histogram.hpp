// A log-linear latency histogram (about 1.6% relative precision from 1 ns to hours) with O(1)
// recording and no allocation after construction, so recording costs the load tool nothing.
#pragma once

#include <array>
#include <cstdint>

namespace chatroom::bench {

class LatencyHistogram {
 public:
  void record(std::int64_t nanoseconds);
  void merge(const LatencyHistogram& other);

  [[nodiscard]] std::uint64_t count() const { return count_; }
  [[nodiscard]] std::int64_t max() const { return max_; }
  [[nodiscard]] std::int64_t min() const { return count_ == 0 ? 0 : min_; }
  [[nodiscard]] double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_); }
  // The smallest recorded value (to the bucket's precision) at or below which `quantile`
  // (0..1) of the values lie; exact for the maximum.
  [[nodiscard]] std::int64_t value_at(double quantile) const;

 private:
  static constexpr int kSubBucketBits = 6;  // 64 sub-buckets per power of two
  static constexpr int kSubBuckets = 1 << kSubBucketBits;
  static constexpr int kBuckets = (64 - kSubBucketBits) * kSubBuckets;

  static int index_of(std::uint64_t value);
  static std::uint64_t upper_bound_of(int index);

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
  std::int64_t min_ = INT64_MAX;
  std::int64_t sum_ = 0;
};

}  // namespace chatroom::bench
