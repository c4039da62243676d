#pragma once
// Neuron morphology in NEURON's section/segment model, and its discretisation into a cable of nodes.
//
// A section is an unbranched cylinder (optionally linearly tapered) split into nseg segments. Each
// segment becomes one node at its centre; every section also gets a zero-area node at its 1-end, and
// the root section one at its 0-end (NEURON's layout). Zero-area nodes carry no membrane, only axial
// links; the implicit solver handles them exactly as series resistors.
//
// A section from a reconstruction carries a diameter profile instead of a taper: each segment then
// gets the lateral area of the frusta it spans and each half segment the exact axial resistance of
// its frusta, R = 4·Ra·ℓ/(π·d₁·d₂) per frustum (as NEURON does with 3-D points).
#include <string>
#include <vector>

namespace apical {

// A point of a section's diameter profile: arc length from the section's 0-end and diameter there.
struct ProfilePoint {
  double arc_um = 0.0;
  double diam_um = 0.0;
};

struct SectionSpec {
  std::string name;
  int parent = -1;          // index of the parent section; -1 for the root
  double parent_x = 1.0;    // attachment point on the parent, 0..1
  double length_um = 0.0;
  double diam_start_um = 0.0;  // diameter at x = 0
  double diam_end_um = 0.0;    // diameter at x = 1 (equal to start for a cylinder)
  int nseg = 1;
  double Ra_ohm_cm = 0.0;
  double cm_uF_per_cm2 = 0.0;
  // Optional; replaces the taper. Arc lengths rise from 0 to length_um; diameters are interpolated
  // linearly between points.
  std::vector<ProfilePoint> profile;
};

struct Morphology {
  std::vector<SectionSpec> sections;  // parents precede children
};

// One point on the morphology: section index and relative position 0..1.
struct Site {
  int section = 0;
  double x = 0.5;
};

// The discretised cable: nodes in an order where every parent precedes its children (Hines order).
struct Cable {
  std::vector<std::string> node_name;   // e.g. "soma(0.5)", "tuft(1)"
  std::vector<int> parent;              // parent node, -1 for the root
  std::vector<double> area_um2;         // 0 for zero-area end nodes
  std::vector<double> capacitance_nF;   // 0 for zero-area end nodes
  std::vector<double> g_axial_uS;       // conductance of the link to the parent node
  std::vector<int> section_of;          // owning section
  std::vector<double> x_of;             // position of the node within its section
  std::vector<double> diam_um;          // segment diameter (0 for end nodes)
  std::vector<double> length_um;        // segment length (0 for end nodes)
  // node index of each segment per section; and of each section's 1-end node
  std::vector<std::vector<int>> segment_nodes;
  std::vector<int> end_node;
  int root_node = 0;                    // the root section's 0-end node

  [[nodiscard]] std::size_t size() const { return parent.size(); }
  [[nodiscard]] bool is_zero_area(int node) const { return capacitance_nF[node] == 0.0; }
};

// Builds the cable; throws std::invalid_argument on an inconsistent morphology.
Cable discretise(const Morphology& morphology);

// The node NEURON uses for section(x): x = 0 is the node the section attaches to, x = 1 its end
// node, otherwise the segment containing x (a boundary belongs to the distal segment).
int node_at(const Morphology& morphology, const Cable& cable, Site site);

// Path distance (µm) from an origin on the root section to a point of the morphology.
double path_distance_um(const Morphology& morphology, Site origin, Site point);

}  // namespace apical
