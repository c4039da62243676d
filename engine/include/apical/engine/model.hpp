#pragma once
// The immutable description of a batch of cells (the "recipe"), separate from the simulation state.
#include <memory>
#include <string>
#include <vector>

#include "apical/engine/mechanism.hpp"
#include "apical/engine/morphology.hpp"

namespace apical {

struct MechanismGroup {
  std::shared_ptr<const Mechanism> mechanism;
  MechanismInstances instances;
};

struct Model {
  Morphology morphology;
  Cable cable;
  int n_cells = 1;
  double celsius = 37.0;
  double v_init_mV = -65.0;
  double cai_init_mM = 1e-4;   // [Ca]_i where no ion pool sets it
  // Evaluation order: channels and point processes first, ion pools last (they consume this step's
  // Ca current and must not change [Ca] before the channels that read it have advanced).
  std::vector<MechanismGroup> groups;

  [[nodiscard]] std::size_t node_count() const { return cable.size(); }
  // Index of the first group using the named mechanism, or -1.
  [[nodiscard]] int group_index(const std::string& mechanism_name) const;
};

// The mutable state of a simulation of a Model.
struct State {
  double t = 0.0;
  std::vector<double> v;      // [node*n_cells + c]
  std::vector<double> cai;    // [node*n_cells + c]
  std::vector<MechanismState> mechanisms;  // one per Model::groups entry
};

// V = v_init everywhere, every state at its steady state: NEURON's finitialize(v_init).
State initial_state(const Model& model);

// Checks group order and array sizes; throws std::invalid_argument naming the first problem.
void validate(const Model& model);

}  // namespace apical
