#pragma once
// Turns a CellDescription (plus per-cell point processes) into an engine Model for a batch.
#include <string>
#include <vector>

#include "apical/engine/model.hpp"
#include "apical/engine/registry.hpp"
#include "apical/models/cell_description.hpp"

namespace apical {

// One point process (stimulus or synapse) at a site, with parameter values for every cell of the
// batch: parameters[name] has n_cells entries (missing names take the declared default). A cell that
// does not use this placement gets the mechanism's inactive values (e.g. amplitude 0, no events).
struct PointPlacement {
  std::string mechanism;
  Site site;
  std::map<std::string, std::vector<double>> parameters;  // name -> [n_cells]
  std::vector<std::vector<double>> event_times;           // [n_cells] spike times (ms), event mechanisms
};

// Throws std::invalid_argument naming the mechanism or parameter at fault (unknown name, value out of
// the declared bounds).
Model build_model(const CellDescription& cell, const MechanismRegistry& registry, int n_cells,
                  const std::vector<PointPlacement>& points = {});

// Resolves "section(x)" (or "section", meaning x = 0.5) against the cell; throws std::invalid_argument.
Site parse_site(const CellDescription& cell, const std::string& text);

}  // namespace apical
