#pragma once
// Pearson's r of two series fed one pair of values at a time, in O(1) memory: the writer's pair_r of a
// distal ROI and its proximal partner over the whole session (docs/nwb.md). Welford's co-moment
// updates, so long sessions of ΔF/F near 0 lose no precision to cancellation, as Σxy − n·x̄·ȳ would.
#include <cstdint>

namespace apical::nwb::detail {

class RunningPearson {
 public:
  // Pairs where either value is not finite are skipped (NaN marks a missing value).
  void add(double x, double y);

  // NaN until two pairs are in, or while either series is constant.
  [[nodiscard]] double r() const;
  [[nodiscard]] std::uint64_t pairs() const { return n_; }

 private:
  std::uint64_t n_ = 0;
  double mean_x_ = 0, mean_y_ = 0;
  double sxx_ = 0, syy_ = 0, sxy_ = 0;  // sums of squared deviations and of their products
};

}  // namespace apical::nwb::detail
