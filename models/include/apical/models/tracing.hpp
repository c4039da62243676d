#pragma once
// Where a reconstructed cell lies in space, kept with its CellDescription so that pictures and
// ParaView exports can draw the real shape. The numerics never read it: they use the sections'
// lengths and diameter profiles only.
#include <vector>

namespace apical {

// The SWC type codes apical understands.
enum class NeuriteType { soma = 1, axon = 2, basal_dendrite = 3, apical_dendrite = 4 };

inline const char* neurite_type_name(NeuriteType type) {  // "soma", "axon", "basal dendrite", "apical dendrite"
  switch (type) {
    case NeuriteType::soma: return "soma";
    case NeuriteType::axon: return "axon";
    case NeuriteType::basal_dendrite: return "basal dendrite";
    case NeuriteType::apical_dendrite: return "apical dendrite";
  }
  return "?";
}

struct Point3 {
  double x_um = 0, y_um = 0, z_um = 0;
};

struct SectionTrace {
  NeuriteType type = NeuriteType::soma;
  std::vector<Point3> points;  // where each point of the section's profile lies; empty for the soma
};

struct Tracing {
  // The soma drawn as a ball: a one-point soma's sample and radius, or a contour's centroid and mean
  // distance from it.
  Point3 soma_centre;
  double soma_radius_um = 0;
  std::vector<SectionTrace> sections;  // one per section of the cell, in its order
};

}  // namespace apical
