#pragma once
// A non-owning, row-major block of per-frame samples: frames × ROIs, one row per 15-Hz frame. Used for
// the calibration block and for whole-session traces (raw F or ΔF/F).
#include <cstddef>
#include <span>
#include <stdexcept>

namespace apical::loop {

struct FrameBlock {
  std::span<const double> values;  // values[k * rois + i] = sample of ROI i at frame k
  std::size_t rois = 0;            // columns

  FrameBlock() = default;
  // Throws std::invalid_argument unless rois > 0 and values.size() is a multiple of rois.
  FrameBlock(std::span<const double> samples, std::size_t roi_count) : values(samples), rois(roi_count) {
    if (rois == 0) throw std::invalid_argument("FrameBlock: rois must be > 0");
    if (values.size() % rois != 0)
      throw std::invalid_argument("FrameBlock: sample count is not a multiple of the ROI count");
  }

  [[nodiscard]] std::size_t frames() const { return rois == 0 ? 0 : values.size() / rois; }
  [[nodiscard]] std::span<const double> row(std::size_t frame) const { return values.subspan(frame * rois, rois); }
  [[nodiscard]] double at(std::size_t frame, std::size_t roi) const { return values[frame * rois + roi]; }
};

}  // namespace apical::loop
