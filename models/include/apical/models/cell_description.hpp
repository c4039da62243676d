#pragma once
// A cell as data: morphology, passive properties and mechanism densities with distance rules.
// Built from a cell file by the io layer; turned into an engine Model by build_model().
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "apical/engine/morphology.hpp"
#include "apical/models/tracing.hpp"

namespace apical {

// A parameter value as a function of the path distance d (µm) from the cell's distance origin.
struct DistanceRule {
  enum class Kind { constant, linear, exponential };
  Kind kind = Kind::constant;
  double value = 0;                      // constant
  double d0_um = 0, v0 = 0, d1_um = 1, v1 = 0;  // linear: through (d0, v0) and (d1, v1)
  double scale = 0, length_um = 1;       // exponential: scale * exp(-d / length)

  [[nodiscard]] double at(double d_um) const;
  static DistanceRule constant_value(double v) { DistanceRule r; r.value = v; return r; }
};

// Where density rules are evaluated. NEURON's `for (x)` loops visit x = 0, the centres and x = 1, and
// x = 1 lands on the last segment, so the last segment of a section takes the section-end value.
// Published NEURON models (Bahl 2012) were fitted with that behaviour.
enum class RuleSampling { segment_centres, neuron_for_x_loop };

struct MechanismPlacementSpec {
  std::string mechanism;
  std::vector<int> sections;                       // section indices
  std::map<std::string, DistanceRule> parameters;  // in the mechanism's canonical units; others default
};

struct CellDescription {
  std::string name;
  std::string citation;
  Morphology morphology;
  Site distance_origin{0, 0.0};
  RuleSampling rule_sampling = RuleSampling::segment_centres;
  double celsius = 37.0;
  double v_init_mV = -65.0;
  std::vector<MechanismPlacementSpec> mechanisms;
  std::optional<Tracing> tracing;  // reconstructions only: where the sections lie, for pictures

  // Section index by name, or -1.
  [[nodiscard]] int section_index(const std::string& name) const;
};

}  // namespace apical
