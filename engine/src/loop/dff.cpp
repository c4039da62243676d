#include "apical/engine/loop/dff.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace apical::loop {

DeltaFOverF::DeltaFOverF(std::size_t rois, const DffParams& params)
    : baselines_(rois, SlidingPercentile(params.baseline)), f0_(rois, 0.0) {
  if (rois == 0) throw std::invalid_argument("DeltaFOverF: needs at least one ROI");
}

void DeltaFOverF::seed(const FrameBlock& raw_f) {
  if (raw_f.rois != rois()) throw std::invalid_argument("DeltaFOverF::seed: ROI count differs from the block's");
  const std::size_t frames = raw_f.frames();
  const std::size_t window = baselines_.front().window();
  const std::size_t first = frames > window ? frames - window : 0;
  std::vector<double> column;
  column.reserve(frames - first);
  for (std::size_t i = 0; i < rois(); ++i) {
    column.clear();
    for (std::size_t k = first; k < frames; ++k)
      if (std::isfinite(raw_f.at(k, i))) column.push_back(raw_f.at(k, i));
    baselines_[i].seed(column);
    f0_[i] = baselines_[i].value();
  }
}

void DeltaFOverF::step(std::span<const double> f, std::span<double> dff) {
  if (f.size() != rois() || dff.size() != rois())
    throw std::invalid_argument("DeltaFOverF::step: F and ΔF/F must have one value per ROI");
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (!std::isfinite(f[i])) {  // no sample (a PMT-gated row): no ΔF/F, and the baseline window waits
      dff[i] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double f0 = baselines_[i].push(f[i]);
    f0_[i] = f0;
    dff[i] = f0 > 0.0 ? (f[i] - f0) / f0 : 0.0;
  }
}

}  // namespace apical::loop
