#pragma once
// The basal-only rate φ(Ī_s) that rule R3 compares the somatic rate with (learning_rules.md §3: the
// rate the basal input alone predicts, φ(k_B v^B)). Measured once per mouse on a copy of its cells and
// inputs with W scaled by s ∈ {0.2, 0.4, …} and no teaching, no manipulation:
//
//   φ(I) = E[ spikes in a frame / frame length  |  frame-mean somatic synaptic current ∈ bin(I) ],
//
// pooled over neurons and frames, in bins of fi_bin_pA; made non-decreasing by pool-adjacent-violators
// (weights = frame counts); bins with fewer than 20 frames are dropped. Between bin centres φ is linear;
// below the first centre it is the first value; above the last it continues with the slope of the last
// two centres. Being a conditional mean of the same noisy drive, E[r − φ(Ī)] ≈ 0 without teaching, so
// R3 has no unsupervised drift (the report of virtual_mouse.hpp gives the measured residual).
#include <cstddef>
#include <span>
#include <vector>

namespace apical::bci::detail {

class BasalRateCurve {
 public:
  BasalRateCurve() = default;
  BasalRateCurve(std::vector<double> current_pA, std::vector<double> rate_Hz);

  [[nodiscard]] double operator()(double current_pA) const;
  [[nodiscard]] const std::vector<double>& current_pA() const { return current_; }
  [[nodiscard]] const std::vector<double>& rate_Hz() const { return rate_; }

 private:
  std::vector<double> current_, rate_;
};

// Accumulates (frame-mean current, frame rate) samples into bins and produces the curve.
class BasalRateBins {
 public:
  explicit BasalRateBins(double bin_pA, std::size_t min_count = 20) : bin_(bin_pA), min_count_(min_count) {}
  void add(double current_pA, double rate_Hz);
  [[nodiscard]] BasalRateCurve curve() const;

 private:
  double bin_;
  std::size_t min_count_;
  std::vector<double> sum_;       // by bin index (current ≥ 0; negative currents go to bin 0)
  std::vector<std::size_t> count_;
};

}  // namespace apical::bci::detail
