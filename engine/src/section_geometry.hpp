#pragma once
// The membrane area and axial resistances of one segment of a section, from its taper or its
// diameter profile (see morphology.hpp).
#include <functional>
#include <string>

#include "apical/engine/morphology.hpp"

namespace apical::detail {

struct SegmentGeometry {
  double diam_um = 0.0;               // diameter at the segment centre
  double area_um2 = 0.0;              // lateral membrane area
  double proximal_half_R_Mohm = 0.0;  // axial resistance from the 0-side boundary to the centre
  double distal_half_R_Mohm = 0.0;    // from the centre to the 1-side boundary
};

// Segment j of nseg equal segments.
SegmentGeometry segment_geometry(const SectionSpec& section, int j);

// Throws std::invalid_argument (via `fail`) unless the profile runs from arc 0 to the section's
// length with non-decreasing arcs and positive diameters.
void check_profile(const SectionSpec& section, const std::function<void(const std::string&)>& fail);

}  // namespace apical::detail
