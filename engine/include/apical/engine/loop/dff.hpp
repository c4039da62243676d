#pragma once
// Per-ROI ΔF/F against a sliding-percentile baseline (experiment.md §2 steps 2–3):
//
//   F0_i(k) = q-th percentile of F_i over the trailing W frames, frame k included   [C→D]
//   d_i(k)  = (F_i(k) − F0_i(k)) / F0_i(k)                                            [P]
//
// Defaults q = 0.10, W = 870 frames (58 s at 15 Hz) come from CLOOSE via experiment.md §2 step 2; the
// quantisation of F (0.25 raw counts) from rig.md §8. The windows are seeded from the tail of the
// calibration block's raw F. Where F0_i ≤ 0 (a dark ROI) d_i is set to 0, so that the ROI adds nothing
// rather than a non-finite value. A non-finite F_i is a missing sample (a row under the PMT gate,
// learning_rules.md §4 O2): d_i is NaN and F_i does not enter the window, so F0 is the percentile of
// the last W samples that exist.
#include <cstddef>
#include <span>
#include <vector>

#include "apical/engine/loop/frame_block.hpp"
#include "apical/engine/loop/sliding_percentile.hpp"

namespace apical::loop {

struct DffParams {
  SlidingPercentileParams baseline{};  // F0: window W, quantile q, quantisation of F
};

class DeltaFOverF {
 public:
  DeltaFOverF(std::size_t rois, const DffParams& params = {});

  // Seeds every ROI's F0 window from the last W frames of a raw-F block (frames × ROIs).
  void seed(const FrameBlock& raw_f);
  // One frame: F (one value per ROI) in, d written to dff (same size). Allocates nothing once the
  // baseline blocks touched by F exist. Throws std::invalid_argument on a size mismatch.
  void step(std::span<const double> f, std::span<double> dff);

  [[nodiscard]] std::size_t rois() const { return baselines_.size(); }
  [[nodiscard]] std::span<const double> f0() const { return f0_; }  // F0 of the last step
  [[nodiscard]] const SlidingPercentile& baseline(std::size_t roi) const { return baselines_[roi]; }

 private:
  std::vector<SlidingPercentile> baselines_;
  std::vector<double> f0_;
};

}  // namespace apical::loop
