#include "apical/engine/loop/decoder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "apical/engine/loop/calibration.hpp"

namespace apical::loop {
namespace {

PopulationDifference make_population(std::span<const Role> roles, const Calibration& calibration,
                                     const DecoderParams& params) {
  if (!params.per_neuron_zscore) return PopulationDifference(roles);
  return PopulationDifference(roles, calibration.roi_mean, calibration.roi_sd);
}

}  // namespace

TrailingMean::TrailingMean(std::size_t n) : ring_(n, 0.0) {
  if (n == 0) throw std::invalid_argument("TrailingMean: the window needs at least one frame");
}

double TrailingMean::push(double x) {
  ring_[head_] = x;
  head_ = (head_ + 1) % ring_.size();
  size_ = std::min(size_ + 1, ring_.size());
  return current();
}

double TrailingMean::current() const {
  if (size_ == 0) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (std::size_t j = 0; j < size_; ++j) sum += ring_[j];
  return sum / static_cast<double>(size_);
}

Decoder::Decoder(std::span<const Role> roles, const Calibration& calibration, const DecoderParams& params)
    : population_(make_population(roles, calibration, params)),
      smoother_(params.smoothing_frames),
      mu_(calibration.mu),
      sigma_(calibration.sigma),
      theta_(calibration.theta) {
  const double lo = calibration.lo;
  if (!std::isfinite(mu_) || !std::isfinite(sigma_) || !(sigma_ > 0.0))
    throw std::invalid_argument("Decoder: calibration needs a finite mu and a finite sigma > 0");
  if (!std::isfinite(lo) || !std::isfinite(theta_) || !(theta_ > lo))
    throw std::invalid_argument("Decoder: calibration needs finite lo < theta");
  const double delta = (theta_ - lo) / (edge_count - 1);
  for (int m = 0; m < edge_count; ++m) edges_[m] = lo + m * delta;
  edges_.front() = lo;  // exact ends, whatever the rounding of lo + 5Δ
  edges_.back() = theta_;
}

int Decoder::bin(double z) const {
  int n = 0;
  for (double e : edges_) n += z >= e ? 1 : 0;
  return n;
}

DecoderOutput Decoder::step(std::span<const double> dff) { return step_difference(population_.difference(dff)); }

DecoderOutput Decoder::step_difference(double x) {
  DecoderOutput out;
  out.x = x;
  if (std::isfinite(x)) {
    out.x_bar = smoother_.push(x);
  } else {  // no sample of a whole population: hold
    const double held = smoother_.current();
    out.x_bar = std::isfinite(held) ? held : mu_;
  }
  out.z = (out.x_bar - mu_) / sigma_;
  out.bin = bin(out.z);
  out.angle_deg = angle_step_deg * out.bin;
  out.error = std::max(0.0, theta_ - out.z);
  out.error_deg = target_angle_deg - out.angle_deg;
  out.at_target = out.z >= theta_;
  return out;
}

}  // namespace apical::loop
