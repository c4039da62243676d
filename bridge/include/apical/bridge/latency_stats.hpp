#pragma once
// Per-frame latencies for the live status line (the last `window` frames) and for the session's
// summary (all of them): nearest-rank percentiles, so p99 of 100 samples is the largest but one.
#include <cstddef>
#include <vector>

namespace apical::bridge {

class LatencyStats {
 public:
  explicit LatencyStats(std::size_t window = 900) : window_(window) {}  // 900 frames: 60 s at 15 Hz

  void add(double ms);
  // q in [0, 1]; 0 when empty.
  [[nodiscard]] double recent(double q) const;
  [[nodiscard]] double overall(double q) const;
  [[nodiscard]] std::size_t count() const { return all_.size(); }

 private:
  std::size_t window_;
  std::vector<float> all_;
};

// Nearest-rank percentile of `values` (copied), q in [0, 1]; 0 when empty.
double nearest_rank(std::vector<float> values, double q);

}  // namespace apical::bridge
