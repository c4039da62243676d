#pragma once
// A cell as 3-D geometry for pictures and ParaView exports: truncated cones (frusta) in µm.
//
// Hand-written sections have no coordinates, so they are laid out schematically: the root
// section (the soma) points up (+y) with its centre at the origin; a section attached at its parent's
// 1-end continues the parent's direction, one attached at the 0-end points the opposite way, one
// attached in between leaves obliquely (135°, alternating sides); siblings leaving the same way fan
// out by fan_angle_deg. Lengths and diameters are the model's, so the scale bar is true along each
// section. Each segment is one frustum whose end diameters follow the section's taper or profile.
//
// A reconstruction (SWC / Neurolucida) keeps its own coordinates, turned upside down (y and z negated)
// when its apical dendrite lies below the soma on average, so that pia is up as in the schematic cells:
// one frustum per sample and its parent, and the soma as a ball (a one-sample soma, or a contour's
// centroid with its mean radius).
//
// A cell imported from a reconstruction (its CellDescription has a tracing) is drawn the same way, but
// for its segments: each pair of neighbouring points of a section is cut where segments meet (by arc
// length), so every frustum lies in one segment; a stem joins each tree to the soma's ball, and the
// ball and stems show the segment at soma(0.5), where the trees attach.
#include <array>
#include <vector>

#include "apical/models/cell_description.hpp"
#include "apical/models/reconstruction.hpp"

namespace apical::viz {

using Vec3 = std::array<double, 3>;

inline constexpr double fan_angle_deg = 25.0;

struct Frustum {
  Vec3 a, b;                  // centres of the two ends, µm
  double radius_a_um = 0, radius_b_um = 0;
  int segment = -1;           // index in segment_sites() order (cells), -1 for reconstructions
  NeuriteType type = NeuriteType::apical_dendrite;  // reconstructions and imported cells: the neurite type
};

struct Ball {
  Vec3 centre;
  double radius_um = 0;
  int segment = -1;           // as for frusta
};

struct CellShape {
  std::vector<Frustum> frusta;
  std::vector<Ball> somata;   // reconstructions and imported cells
  bool typed = false;         // frusta carry neurite types (reconstructions and imported cells)
};

// Throws std::invalid_argument for a morphology without sections.
CellShape schematic_shape(const Morphology& morphology);
// Throws std::invalid_argument for a reconstruction without samples.
CellShape reconstruction_shape(const Reconstruction& reconstruction);
// Throws std::invalid_argument for a cell without a tracing, or one that does not match its sections.
CellShape traced_shape(const CellDescription& cell);
// The traced shape of an imported cell, else the schematic layout.
CellShape cell_shape(const CellDescription& cell);

// Smallest box holding the shape: {min x, max x, min y, max y, min z, max z}.
std::array<double, 6> bounds(const CellShape& shape);

}  // namespace apical::viz
