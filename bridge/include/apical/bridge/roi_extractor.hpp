#pragma once
// Raw fluorescence per ROI with the masks moved by the registration shift instead of the frame warped
// (rig.md §7 step 5):
//
//   F_i = Σ_p w_p · I(x_p + dx, y_p + dy) / Σ_p w_p
//
// with I sampled bilinearly (the shift is the same for every pixel, so the four interpolation weights
// are computed once per frame) and the sum over the pixels whose shifted position lies inside the
// frame. A ROI shifted wholly outside keeps its previous F (0 before any) and is counted.
#include <cstdint>
#include <span>
#include <vector>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/phase_correlation.hpp"
#include "apical/bridge/rois.hpp"

namespace apical::bridge {

class RoiExtractor {
 public:
  // Throws std::invalid_argument if the set is empty or a ROI has no pixel.
  explicit RoiExtractor(RoiSet rois);

  // `frame` must have the size the masks were drawn on; f receives one value per ROI. Allocates nothing.
  void extract(const Frame& frame, const Shift& shift, std::span<double> f);

  [[nodiscard]] std::size_t rois() const { return set_.rois.size(); }
  [[nodiscard]] const RoiSet& set() const { return set_; }
  // ROI values held because the ROI lay wholly outside the shifted frame.
  [[nodiscard]] std::uint64_t held() const { return held_; }

 private:
  RoiSet set_;
  std::vector<double> last_;
  std::uint64_t held_ = 0;
};

}  // namespace apical::bridge
