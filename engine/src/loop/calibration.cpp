#include "apical/engine/loop/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "apical/engine/loop/sliding_percentile.hpp"
#include "uniform_index.hpp"

namespace apical::loop {
namespace {

struct MeanSd {
  double mean = 0, sd = 0;
};

// Two-pass mean and SD with the n − 1 denominator, over the finite values (NaN: a missing sample);
// NaN for both when there are none.
template <class Get>
MeanSd mean_sd(std::size_t n, Get get) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t k = 0; k < n; ++k)
    if (std::isfinite(get(k))) sum += get(k), ++count;
  if (count == 0) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double mean = sum / static_cast<double>(count);
  double ss = 0;
  for (std::size_t k = 0; k < n; ++k)
    if (std::isfinite(get(k))) ss += (get(k) - mean) * (get(k) - mean);
  return {mean, count > 1 ? std::sqrt(ss / static_cast<double>(count - 1)) : 0.0};
}

void check(const FrameBlock& dff, std::span<const Role> roles, const CalibrationParams& params) {
  if (dff.rois != roles.size()) throw std::invalid_argument("calibrate: the block and the roles differ in ROI count");
  if (params.pseudo_trials == 0) throw std::invalid_argument("calibrate: pseudo_trials must be > 0");
  if (params.trial_frames == 0) throw std::invalid_argument("calibrate: trial_frames must be > 0");
  if (dff.frames() < params.trial_frames)
    throw std::invalid_argument("calibrate: the block is shorter than one pseudo-trial");
  if (!(params.p_cal > 0.0 && params.p_cal < 1.0)) throw std::invalid_argument("calibrate: p_cal must lie in (0, 1)");
  if (!(params.floor_quantile >= 0.0 && params.floor_quantile <= 1.0))
    throw std::invalid_argument("calibrate: floor_quantile must lie in [0, 1]");
}

}  // namespace

std::vector<double> smoothed_difference(const FrameBlock& dff, const PopulationDifference& population,
                                        std::size_t smoothing_frames) {
  TrailingMean smoother(smoothing_frames);
  std::vector<double> x_bar(dff.frames());
  for (std::size_t k = 0; k < x_bar.size(); ++k) {
    const double x = population.difference(dff.row(k));
    x_bar[k] = std::isfinite(x) ? smoother.push(x) : smoother.current();  // held, as Decoder does
  }
  return x_bar;
}

std::vector<double> pseudo_trial_maxima(std::span<const double> z, std::size_t trials, std::size_t trial_frames,
                                        std::uint64_t seed) {
  if (z.empty()) throw std::invalid_argument("pseudo_trial_maxima: empty trace");
  std::vector<double> maxima(trials);
  for (std::size_t j = 0; j < trials; ++j) {
    CounterRng rng(seed, stream_of(StreamTag::pseudo_trial_start, j));
    const std::size_t start = uniform_index(rng, z.size());
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t t = 0; t < trial_frames; ++t) m = std::max(m, z[(start + t) % z.size()]);
    maxima[j] = m;
  }
  return maxima;
}

double fraction_reaching(std::span<const double> maxima, double theta) {
  const auto reached = std::count_if(maxima.begin(), maxima.end(), [theta](double m) { return m >= theta; });
  return static_cast<double>(reached) / static_cast<double>(maxima.size());
}

double threshold_for_fraction(std::span<const double> maxima, double p) {
  if (maxima.empty()) throw std::invalid_argument("threshold_for_fraction: no pseudo-trials");
  // At most c = ⌊p·N⌋ maxima may reach θ, so θ must lie above the (c + 1)-th largest.
  const auto allowed = static_cast<std::size_t>(std::floor(p * static_cast<double>(maxima.size()) + 1e-9));
  if (allowed >= maxima.size()) return -std::numeric_limits<double>::infinity();
  std::vector<double> sorted(maxima.begin(), maxima.end());
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(allowed), sorted.end(),
                   std::greater<>());
  return std::nextafter(sorted[allowed], std::numeric_limits<double>::infinity());
}

Calibration calibrate(const FrameBlock& dff, std::span<const Role> roles, const DecoderParams& decoder,
                      const CalibrationParams& params) {
  check(dff, roles, params);
  Calibration cal;
  const std::size_t frames = dff.frames();

  if (decoder.per_neuron_zscore) {
    cal.roi_mean.resize(dff.rois);
    cal.roi_sd.resize(dff.rois);
    for (std::size_t i = 0; i < dff.rois; ++i) {
      const MeanSd s = mean_sd(frames, [&](std::size_t k) { return dff.at(k, i); });
      cal.roi_mean[i] = s.mean;
      cal.roi_sd[i] = s.sd;
    }
  }
  const PopulationDifference population = decoder.per_neuron_zscore
                                              ? PopulationDifference(roles, cal.roi_mean, cal.roi_sd)
                                              : PopulationDifference(roles);

  const std::vector<double> x_bar = smoothed_difference(dff, population, decoder.smoothing_frames);
  const MeanSd s = mean_sd(frames, [&](std::size_t k) { return x_bar[k]; });
  if (!(s.sd > 0.0) || !std::isfinite(s.sd)) throw std::runtime_error("calibrate: the decoder trace has no variance");
  cal.mu = s.mean;
  cal.sigma = s.sd;

  std::vector<double> z(frames);
  for (std::size_t k = 0; k < frames; ++k) z[k] = (x_bar[k] - cal.mu) / cal.sigma;  // as Decoder computes it

  std::vector<double> sorted;
  std::copy_if(z.begin(), z.end(), std::back_inserter(sorted), [](double v) { return std::isfinite(v); });
  const std::size_t rank = SlidingPercentile::nearest_rank(params.floor_quantile, sorted.size());
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(rank - 1), sorted.end());
  cal.lo = sorted[rank - 1];

  const std::vector<double> maxima = pseudo_trial_maxima(z, params.pseudo_trials, params.trial_frames, params.seed);
  cal.theta = threshold_for_fraction(maxima, params.p_cal);
  cal.pseudo_hit_fraction = fraction_reaching(maxima, cal.theta);
  if (!(cal.theta > cal.lo)) throw std::runtime_error("calibrate: theta does not lie above lo");
  return cal;
}

}  // namespace apical::loop
