#include "apical/engine/loop/population.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace apical::loop {

PopulationDifference::PopulationDifference(std::span<const Role> roles) : rois_(roles.size()) {
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == Role::plus) plus_.push_back(i);
    if (roles[i] == Role::minus) minus_.push_back(i);
  }
  if (plus_.empty() || minus_.empty())
    throw std::invalid_argument("PopulationDifference: P+ and P- each need at least one ROI");
}

PopulationDifference::PopulationDifference(std::span<const Role> roles, std::span<const double> roi_mean,
                                           std::span<const double> roi_sd)
    : PopulationDifference(roles) {
  if (roi_mean.size() != rois_ || roi_sd.size() != rois_)
    throw std::invalid_argument("PopulationDifference: per-neuron z-scoring needs one mean and one SD per ROI");
  offset_.assign(roi_mean.begin(), roi_mean.end());
  scale_.assign(rois_, 0.0);
  for (std::size_t i = 0; i < rois_; ++i) {
    if (roles[i] == Role::zero) continue;
    if (!(roi_sd[i] > 0.0) || !std::isfinite(roi_sd[i]) || !std::isfinite(roi_mean[i]))
      throw std::invalid_argument("PopulationDifference: ROI " + std::to_string(i) +
                                  " has a non-positive or non-finite calibration SD or mean");
    scale_[i] = 1.0 / roi_sd[i];
  }
}

PopulationDifference::Means PopulationDifference::means(std::span<const double> dff) const {
  if (dff.size() != rois_) throw std::invalid_argument("PopulationDifference: expected one ΔF/F per ROI");
  const bool scaled = !offset_.empty();
  auto mean_of = [&](const std::vector<std::size_t>& members) {
    double sum = 0;
    std::size_t sampled = 0;
    for (std::size_t i : members)
      if (std::isfinite(dff[i])) {
        sum += scaled ? (dff[i] - offset_[i]) * scale_[i] : dff[i];
        ++sampled;
      }
    return sampled ? sum / static_cast<double>(sampled) : std::numeric_limits<double>::quiet_NaN();
  };
  return {mean_of(plus_), mean_of(minus_)};
}

}  // namespace apical::loop
