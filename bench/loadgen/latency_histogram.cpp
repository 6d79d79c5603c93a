// Bucketing: values below 64 get a bucket each; above, each power of two is split into 64.
#include "loadgen/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace chatroom::bench {

int LatencyHistogram::index_of(std::uint64_t value) {
  if (value < kSubBuckets) return static_cast<int>(value);
  const int magnitude = std::bit_width(value) - 1;  // >= kSubBucketBits
  const int shift = magnitude - kSubBucketBits;
  const auto sub = static_cast<int>((value >> shift) & (kSubBuckets - 1));
  return (shift + 1) * kSubBuckets + sub;
}

std::uint64_t LatencyHistogram::upper_bound_of(int index) {
  if (index < kSubBuckets) return static_cast<std::uint64_t>(index);
  const int shift = index / kSubBuckets - 1;
  const auto sub = static_cast<std::uint64_t>(index % kSubBuckets);
  return ((std::uint64_t{kSubBuckets} + sub + 1) << shift) - 1;
}

void LatencyHistogram::record(std::int64_t nanoseconds) {
  const std::int64_t value = std::max<std::int64_t>(nanoseconds, 0);
  ++counts_[static_cast<std::size_t>(std::min(index_of(static_cast<std::uint64_t>(value)), kBuckets - 1))];
  ++count_;
  sum_ += value;
  max_ = std::max(max_, value);
  min_ = std::min(min_, value);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
}

std::int64_t LatencyHistogram::value_at(double quantile) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(quantile, 0.0, 1.0) * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[static_cast<std::size_t>(i)];
    if (seen >= std::max<std::uint64_t>(rank, 1)) {
      return std::min<std::int64_t>(static_cast<std::int64_t>(upper_bound_of(i)), max_);
    }
  }
  return max_;
}

}  // namespace chatroom::bench
