#include "apical/engine/loop/sliding_percentile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace apical::loop {

SlidingPercentile::SlidingPercentile(const SlidingPercentileParams& params) : params_(params) {
  if (params.window < 1 || params.window > 65535)
    throw std::invalid_argument("SlidingPercentile: window must be 1 … 65535 samples");
  if (!(params.quantile >= 0.0 && params.quantile <= 1.0))
    throw std::invalid_argument("SlidingPercentile: quantile must lie in [0, 1]");
  if (!(params.bin_width > 0.0) || !std::isfinite(params.bin_width))
    throw std::invalid_argument("SlidingPercentile: bin_width must be a positive finite number");
  if (!std::isfinite(params.origin)) throw std::invalid_argument("SlidingPercentile: origin must be finite");
  if (params.bins < 1 || params.bins > (std::size_t{1} << 30))
    throw std::invalid_argument("SlidingPercentile: bins must be 1 … 2^30");
  ring_.assign(params.window, 0);
  const std::size_t blocks = (params.bins + block_size - 1) / block_size;
  coarse_.assign(blocks, 0);
  block_offset_.assign(blocks, unallocated);
}

std::size_t SlidingPercentile::nearest_rank(double quantile, std::size_t n) {
  if (n == 0) return 0;
  const double r = std::ceil(quantile * static_cast<double>(n) - 1e-9);
  return std::clamp<std::size_t>(r < 1.0 ? 1 : static_cast<std::size_t>(r), 1, n);
}

double SlidingPercentile::quantise(double sample) const {
  const double x = std::floor((sample - params_.origin) / params_.bin_width + 0.5);
  const double last = static_cast<double>(params_.bins - 1);
  const double bin = x >= 0.0 ? std::min(x, last) : 0.0;  // NaN → bin 0
  return params_.origin + bin * params_.bin_width;
}

std::uint32_t SlidingPercentile::bin_of(double sample) {
  const double x = std::floor((sample - params_.origin) / params_.bin_width + 0.5);
  const double last = static_cast<double>(params_.bins - 1);
  if (!(x >= 0.0)) {  // below the range, or NaN
    ++clamped_;
    return 0;
  }
  if (x > last) {
    ++clamped_;
    return static_cast<std::uint32_t>(params_.bins - 1);
  }
  return static_cast<std::uint32_t>(x);
}

std::uint32_t SlidingPercentile::count(std::uint32_t bin) const {
  const std::uint32_t offset = block_offset_[bin >> block_bits];
  return offset == unallocated ? 0 : fine_[offset + (bin & (block_size - 1))];
}

void SlidingPercentile::add(std::uint32_t bin) {
  std::uint32_t& offset = block_offset_[bin >> block_bits];
  if (offset == unallocated) {
    offset = static_cast<std::uint32_t>(fine_.size());
    fine_.resize(fine_.size() + block_size, 0);
  }
  ++fine_[offset + (bin & (block_size - 1))];
  ++coarse_[bin >> block_bits];
  if (bin < answer_) ++below_;
}

void SlidingPercentile::remove(std::uint32_t bin) {
  --fine_[block_offset_[bin >> block_bits] + (bin & (block_size - 1))];
  --coarse_[bin >> block_bits];
  if (bin < answer_) --below_;
}

std::uint32_t SlidingPercentile::next_nonempty(std::uint32_t bin) const {
  std::uint32_t block = bin >> block_bits;
  if (coarse_[block] > 0)
    for (std::uint32_t b = bin + 1; b < (block + 1) * block_size; ++b)
      if (count(b) > 0) return b;
  for (++block; block < coarse_.size(); ++block)
    if (coarse_[block] > 0)
      for (std::uint32_t b = block * block_size;; ++b)
        if (count(b) > 0) return b;
  throw std::logic_error("SlidingPercentile: no sample above the answer bin");
}

std::uint32_t SlidingPercentile::previous_nonempty(std::uint32_t bin) const {
  std::uint32_t block = bin >> block_bits;
  if (coarse_[block] > 0)
    for (std::uint32_t b = bin; b-- > block * block_size;)
      if (count(b) > 0) return b;
  while (block-- > 0)
    if (coarse_[block] > 0)
      for (std::uint32_t b = (block + 1) * block_size; b-- > 0;)
        if (count(b) > 0) return b;
  throw std::logic_error("SlidingPercentile: no sample below the answer bin");
}

void SlidingPercentile::settle() {
  // Invariant afterwards: below_ < r <= below_ + count(answer_).
  const std::size_t r = nearest_rank(params_.quantile, size_);
  while (below_ >= r) {
    answer_ = previous_nonempty(answer_);
    below_ -= count(answer_);
  }
  while (below_ + count(answer_) < r) {
    below_ += count(answer_);
    answer_ = next_nonempty(answer_);
  }
}

double SlidingPercentile::push(double sample) {
  const std::uint32_t bin = bin_of(sample);
  if (size_ == 0) {
    answer_ = bin;
    below_ = 0;
  }
  // Insert before dropping the oldest, so the window never empties (W = 1 included).
  add(bin);
  if (size_ == params_.window) {
    remove(ring_[head_]);
  } else {
    ++size_;
  }
  ring_[head_] = bin;
  head_ = (head_ + 1) % params_.window;
  settle();
  return value();
}

double SlidingPercentile::value() const {
  if (size_ == 0) return std::numeric_limits<double>::quiet_NaN();
  return params_.origin + static_cast<double>(answer_) * params_.bin_width;
}

void SlidingPercentile::clear() {
  // Zero the counts of the samples still held; allocated blocks are kept for reuse.
  for (std::size_t j = 0; j < size_; ++j) {
    const std::uint32_t bin = ring_[(head_ + params_.window - size_ + j) % params_.window];
    --fine_[block_offset_[bin >> block_bits] + (bin & (block_size - 1))];
    --coarse_[bin >> block_bits];
  }
  head_ = size_ = 0;
  answer_ = 0;
  below_ = 0;
}

void SlidingPercentile::seed(std::span<const double> block) {
  clear();
  const std::size_t n = std::min(block.size(), params_.window);
  for (double v : block.last(n)) push(v);
}

}  // namespace apical::loop
