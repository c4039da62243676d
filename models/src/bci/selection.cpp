// Transient rates and P+/P− selection; rules in experiment_spec.hpp (SelectionSpec).
#include "selection.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace apical::bci::detail {

namespace {

double median(std::vector<double> v) {
  const std::size_t h = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(h), v.end());
  return v[h];
}

// Uniform index in [0, n).
std::size_t pick(CounterRng& rng, std::size_t n) {
  return std::min(n - 1, static_cast<std::size_t>(rng.uniform() * static_cast<double>(n)));
}

}  // namespace

std::vector<double> transient_rate_per_min(const loop::FrameBlock& dff, const SelectionSpec& spec, double fs) {
  const std::size_t frames = dff.frames(), rois = dff.rois;
  const auto min_gap = static_cast<std::size_t>(std::llround(spec.min_interval_s * fs));
  std::vector<double> rates(rois, 0.0), column(frames), sampled, deviation;
  for (std::size_t i = 0; i < rois; ++i) {
    // NaN frames (rows under the PMT gate) have no sample: the statistics, the crossings and the time
    // are those of the sampled frames.
    sampled.clear();
    for (std::size_t k = 0; k < frames; ++k) {
      column[k] = dff.at(k, i);
      if (std::isfinite(column[k])) sampled.push_back(column[k]);
    }
    if (sampled.empty()) continue;
    const double minutes = static_cast<double>(sampled.size()) / fs / 60.0;
    const double med = median(sampled);
    deviation.clear();
    for (double v : sampled) deviation.push_back(std::abs(v - med));
    const double threshold = med + spec.threshold_mad * 1.4826 * median(deviation);
    std::size_t count = 0, last = 0;
    bool any = false;
    for (std::size_t k = 1; k < frames; ++k)
      if (column[k] >= threshold && column[k - 1] < threshold && (!any || k - last >= min_gap)) {
        ++count;
        last = k;
        any = true;
      }
    rates[i] = minutes > 0.0 ? static_cast<double>(count) / minutes : 0.0;
  }
  return rates;
}

std::vector<loop::Role> select_roles(std::span<const double> rate, const FieldOfViewSpec& fov, const SelectionSpec& spec,
                                     CounterRng& rng) {
  std::vector<std::size_t> eligible;
  for (std::size_t i = 0; i < rate.size(); ++i)
    if (rate[i] >= spec.min_rate_per_min) eligible.push_back(i);
  const std::size_t wanted = fov.n_plus + fov.n_minus;
  if (eligible.size() < wanted)
    throw std::runtime_error("BCI selection: only " + std::to_string(eligible.size()) + " neurons have ≥ " +
                             std::to_string(spec.min_rate_per_min) + " transients/min in the calibration block; " +
                             std::to_string(wanted) + " are needed for P+ and P−");
  std::stable_sort(eligible.begin(), eligible.end(), [&](std::size_t a, std::size_t b) { return rate[a] < rate[b]; });

  std::vector<loop::Role> roles(rate.size(), loop::Role::zero);
  // Adjacent pairs by rank; draw min(n+, n−) of them without replacement.
  std::vector<std::size_t> pairs(eligible.size() / 2);
  std::iota(pairs.begin(), pairs.end(), std::size_t{0});
  const std::size_t matched = std::min(fov.n_plus, fov.n_minus);
  std::vector<bool> used(eligible.size(), false);
  for (std::size_t p = 0; p < matched; ++p) {
    const std::size_t r = p + pick(rng, pairs.size() - p);
    std::swap(pairs[p], pairs[r]);
    const std::size_t a = 2 * pairs[p], b = a + 1;
    const bool a_plus = rng.uniform() < 0.5;
    roles[eligible[a]] = a_plus ? loop::Role::plus : loop::Role::minus;
    roles[eligible[b]] = a_plus ? loop::Role::minus : loop::Role::plus;
    used[a] = used[b] = true;
  }
  // Any excess of the larger group from the rest.
  const std::size_t excess = std::max(fov.n_plus, fov.n_minus) - matched;
  const loop::Role extra = fov.n_plus > fov.n_minus ? loop::Role::plus : loop::Role::minus;
  std::vector<std::size_t> rest;
  for (std::size_t r = 0; r < eligible.size(); ++r)
    if (!used[r]) rest.push_back(eligible[r]);
  for (std::size_t e = 0; e < excess; ++e) {
    const std::size_t r = e + pick(rng, rest.size() - e);
    std::swap(rest[e], rest[r]);
    roles[rest[e]] = extra;
  }
  return roles;
}

}  // namespace apical::bci::detail
