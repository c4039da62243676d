#pragma once
// The colour scale of cell pictures (membrane potential, [Ca]i, ΔF/F): viridis, dark blue at the low
// end to yellow at the high end, even in lightness and readable with colour-vision deficiencies and
// in greyscale. Values outside the recording (NaN) are drawn in no_value_colour.
#include "apical/viz/role_colours.hpp"

namespace apical::viz {

inline constexpr Rgb no_value_colour{190, 190, 190};

// The colour at `fraction` of the scale (clamped to [0, 1]).
Rgb colour_map(double fraction);

}  // namespace apical::viz
