#pragma once
// The q-th percentile of the trailing W samples, updated in O(1) per sample (rig.md §8) [D].
//
//   value(k) = v_(r)  over the window {v(k−W+1) … v(k)},  r = nearest_rank(q, n) = max(1, ⌈q·n⌉),
//
// with n = min(W, samples pushed) and v_(r) the r-th smallest. Samples are quantised first:
// bin(v) = round((v − origin)/bin_width), clamped to [0, bins − 1], and the answer is the bin's value
// origin + bin·bin_width, so grid values come back exactly. The result is exact for the quantised
// samples (tests compare with std::nth_element over the window). MATLAB's prctile interpolates between
// order statistics, so CLOOSE's F0 can differ from this one by at most one order statistic.
//
// State: a ring of the last W bin indices and a two-level histogram — coarse counts per block of 256
// fine bins and u16 fine counts, a fine block being allocated on first use — plus the answer bin and
// the number of samples below it. A push inserts one sample and drops the oldest, which moves the
// target rank by at most one order statistic; the answer pointer then steps to the neighbouring
// non-empty bin, skipping empty blocks by their coarse counts: at most 2·256 + bins/256 probes,
// independent of W. Allocation happens only when a value lands in a fine block not used before.
//
// | Parameter | Default | Source |
// |---|---|---|
// | window W | 870 frames (58 s at 15 Hz) | experiment.md §2 step 2 [C→D] |
// | quantile q | 0.10 | experiment.md §2 step 2 [C→D] |
// | bin_width | 0.25 raw counts (far below shot noise) | rig.md §8 [D] |
// | origin, bins | 0, 262144: covers raw ROI means 0 … 65535.75 | rig.md §8 [D] |
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace apical::loop {

struct SlidingPercentileParams {
  std::size_t window = 870;    // W, samples; 1 … 65535 (u16 counts)
  double quantile = 0.10;      // q in [0, 1]
  double bin_width = 0.25;     // quantisation step, in the unit of the samples (> 0)
  double origin = 0.0;         // value of bin 0
  std::size_t bins = 262144;   // fine bins; the covered range is [origin, origin + (bins − 1)·bin_width]
};

class SlidingPercentile {
 public:
  // Throws std::invalid_argument naming the first bad parameter.
  explicit SlidingPercentile(const SlidingPercentileParams& params = {});

  // Empties the window, then pushes the last min(W, block.size()) values of the block (warm-up from
  // the tail of the calibration block, as CLOOSE does).
  void seed(std::span<const double> block);
  // Adds one sample (dropping the oldest once the window is full) and returns value().
  double push(double sample);
  // The current percentile; NaN while the window is empty.
  [[nodiscard]] double value() const;
  void clear();

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t window() const { return params_.window; }
  [[nodiscard]] const SlidingPercentileParams& params() const { return params_; }
  // Samples that fell outside the covered range (or were NaN) and were clamped to an end bin.
  [[nodiscard]] std::uint64_t clamped() const { return clamped_; }

  // The value a sample is quantised to; the reference for exactness tests.
  [[nodiscard]] double quantise(double sample) const;
  // Nearest rank r = ⌈q·n⌉ clamped to [1, n] (1-based), with a 1e-9 guard so that e.g. 0.1·870 → 87.
  [[nodiscard]] static std::size_t nearest_rank(double quantile, std::size_t n);

 private:
  static constexpr std::uint32_t block_bits = 8;
  static constexpr std::uint32_t block_size = 1u << block_bits;
  static constexpr std::uint32_t unallocated = 0xffffffffu;

  [[nodiscard]] std::uint32_t bin_of(double sample);
  [[nodiscard]] std::uint32_t count(std::uint32_t bin) const;
  void add(std::uint32_t bin);
  void remove(std::uint32_t bin);
  void settle();  // moves the answer pointer until it holds the target rank
  [[nodiscard]] std::uint32_t next_nonempty(std::uint32_t bin) const;
  [[nodiscard]] std::uint32_t previous_nonempty(std::uint32_t bin) const;

  SlidingPercentileParams params_;
  std::vector<std::uint32_t> ring_;          // bin indices of the last W samples
  std::size_t head_ = 0;                     // next slot to write (the oldest once full)
  std::size_t size_ = 0;
  std::vector<std::uint32_t> coarse_;        // samples per block of 256 fine bins
  std::vector<std::uint32_t> block_offset_;  // offset of each block's fine counts in fine_, or unallocated
  std::vector<std::uint16_t> fine_;          // fine counts, 256 per allocated block
  std::uint32_t answer_ = 0;                 // bin holding the target rank
  std::size_t below_ = 0;                    // samples in bins < answer_
  std::uint64_t clamped_ = 0;
};

}  // namespace apical::loop
