#include "apical/bridge/roi_extractor.hpp"

#include <cmath>
#include <stdexcept>

namespace apical::bridge {

RoiExtractor::RoiExtractor(RoiSet rois) : set_(std::move(rois)), last_(set_.rois.size(), 0.0) {
  if (set_.rois.empty()) throw std::invalid_argument("RoiExtractor: no ROIs");
  for (const Roi& r : set_.rois)
    if (r.pixels.empty()) throw std::invalid_argument("RoiExtractor: ROI '" + r.name + "' has no pixel");
}

void RoiExtractor::extract(const Frame& frame, const Shift& shift, std::span<double> f) {
  if (frame.width != set_.width || frame.height != set_.height)
    throw std::invalid_argument("RoiExtractor: frame is " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                                ", the masks were drawn on " + std::to_string(set_.width) + "x" + std::to_string(set_.height));
  if (f.size() != set_.rois.size()) throw std::invalid_argument("RoiExtractor: output size differs from the ROI count");
  const double ix = std::floor(shift.dx), iy = std::floor(shift.dy);
  const double fx = shift.dx - ix, fy = shift.dy - iy;
  const double w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
  const long ox = long(ix), oy = long(iy);
  // The last valid top-left corner: one pixel in from the far edge when the neighbour is needed.
  const long last_x = long(frame.width) - 1 - (fx > 0 ? 1 : 0), last_y = long(frame.height) - 1 - (fy > 0 ? 1 : 0);
  const long w = long(frame.width);
  // Offsets of the right and lower neighbours; 0 (the pixel itself, with weight 0) where not needed,
  // so that the loop has no branch but the bounds test.
  const long right = fx > 0 ? 1 : 0, below = fy > 0 ? w : 0;
  const std::uint16_t* I = frame.pixels.data();
  for (std::size_t i = 0; i < set_.rois.size(); ++i) {
    double sum = 0, weight = 0;
    for (const RoiPixel& p : set_.rois[i].pixels) {
      const long x = long(p.x) + ox, y = long(p.y) + oy;
      if (x < 0 || y < 0 || x > last_x || y > last_y) continue;
      const std::uint16_t* q = I + y * w + x;
      sum += p.weight * (w00 * q[0] + w10 * q[right] + (w01 * q[below] + w11 * q[below + right]));
      weight += p.weight;
    }
    if (weight > 0) {
      last_[i] = sum / weight;
    } else {
      ++held_;
    }
    f[i] = last_[i];
  }
}

}  // namespace apical::bridge
