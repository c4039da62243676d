#include "apical/viz/colour_map.hpp"

#include <algorithm>
#include <cmath>

namespace apical::viz {
namespace {

// viridis (matplotlib, CC0) at 0, 1/4, 1/2, 3/4 and 1; linear in between is close to the full table.
constexpr Rgb anchors[] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

std::uint8_t mix(std::uint8_t a, std::uint8_t b, double t) {
  return static_cast<std::uint8_t>(std::lround(a + (b - a) * t));
}

}  // namespace

Rgb colour_map(double fraction) {
  constexpr int intervals = static_cast<int>(std::size(anchors)) - 1;
  const double position = std::clamp(std::isnan(fraction) ? 0.0 : fraction, 0.0, 1.0) * intervals;
  const int i = std::min(static_cast<int>(position), intervals - 1);
  const double t = position - i;
  return {mix(anchors[i].r, anchors[i + 1].r, t), mix(anchors[i].g, anchors[i + 1].g, t),
          mix(anchors[i].b, anchors[i + 1].b, t)};
}

}  // namespace apical::viz
