#pragma once
// Benchmark B1 "HH-3C" (models/data/hh3c/hh3c.json): one 60-µm cable, 3 compartments, NEURON's hh,
// driven by 0.1 nA into compartment 0 (tests/reference/bahl2012/hh3c/README.md).
#include <string>

#include "apical/io/cell_file.hpp"
#include "apical/models/build_model.hpp"
#include "apical/models/register_all.hpp"

namespace apical::test {

inline const CellDescription& hh3c_cell() {
  static const CellDescription cell = load_cell_file(std::string(APICAL_SOURCE_DIR) + "/models/data/hh3c/hh3c.json");
  return cell;
}

inline PointPlacement hh3c_clamp(int n_cells, double amp_nA, double delay_ms) {
  PointPlacement clamp;
  clamp.mechanism = "iclamp";
  clamp.site = Site{0, 1.0 / 6.0};
  clamp.parameters = {{"delay", std::vector<double>(n_cells, delay_ms)},
                      {"dur", std::vector<double>(n_cells, 1e9)},
                      {"amp", std::vector<double>(n_cells, amp_nA)}};
  return clamp;
}

inline Model hh3c_model(int n_cells, double amp_nA = 0.1, double delay_ms = 1.0) {
  return build_model(hh3c_cell(), builtin_mechanisms(), n_cells, {hh3c_clamp(n_cells, amp_nA, delay_ms)});
}

}  // namespace apical::test
