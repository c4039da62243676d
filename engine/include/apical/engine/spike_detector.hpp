#pragma once
// Upward threshold crossings with the time linearly interpolated between samples (NEURON's NetCon).
#include <vector>

namespace apical {

class SpikeDetector {
 public:
  explicit SpikeDetector(double threshold_mV) : threshold_(threshold_mV) {}
  // Feed consecutive samples (t, v); returns true and appends the crossing time when one occurs.
  bool sample(double t, double v);
  [[nodiscard]] const std::vector<double>& spike_times() const { return times_; }

 private:
  double threshold_;
  bool has_previous_ = false;
  double t_prev_ = 0, v_prev_ = 0;
  std::vector<double> times_;
};

}  // namespace apical
