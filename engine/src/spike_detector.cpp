#include "apical/engine/spike_detector.hpp"

namespace apical {

bool SpikeDetector::sample(double t, double v) {
  bool crossed = false;
  if (has_previous_ && v_prev_ < threshold_ && v >= threshold_) {
    times_.push_back(t_prev_ + (t - t_prev_) * (threshold_ - v_prev_) / (v - v_prev_));
    crossed = true;
  }
  has_previous_ = true;
  t_prev_ = t;
  v_prev_ = v;
  return crossed;
}

}  // namespace apical
