#pragma once
// Benchmark B1 "HH-3C" built in code: one 60-µm cable, 3 compartments, NEURON's hh, 0.1 nA into
// compartment 0 (../shared/reference/bahl2012/hh3c/README.md).
#include "apical/models/build_model.hpp"
#include "apical/models/register_all.hpp"

namespace apical::test {

inline CellDescription hh3c_cell() {
  CellDescription cell;
  cell.name = "hh3c";
  SectionSpec cable;
  cable.name = "cable";
  cable.length_um = 60.0;
  cable.diam_start_um = cable.diam_end_um = 2.0;
  cable.nseg = 3;
  cable.Ra_ohm_cm = 35.4;
  cable.cm_uF_per_cm2 = 1.0;
  cell.morphology.sections = {cable};
  cell.celsius = 6.3;
  cell.v_init_mV = -65.0;
  cell.mechanisms = {{"hh", {0}, {}}};
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
