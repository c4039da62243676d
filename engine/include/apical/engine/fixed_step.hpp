#pragma once
// Fixed-step integration of a batch: implicit cable (Hines elimination) and gate updates by each
// mechanism's own scheme (exponential Euler, or forward Euler where the reference model uses it).
//
// One step t_n -> t_n+1 follows NEURON 8.2 (secondorder = 0): events with t <= t_n + dt/2 are
// delivered; currents are linearised at V_n with the states of t_n and stimuli at t_n + dt/2; the
// cable is solved by backward Euler; states advance at V_n+1. Crank–Nicolson solves the same system
// over dt/2 and extrapolates V_n+1 = 2 V_n+1/2 − V_n; its states then live half a step behind V.
#include <cstdint>
#include <vector>

#include "apical/engine/model.hpp"

namespace apical {

enum class CableScheme { backward_euler, crank_nicolson };

class FixedStepSolver {
 public:
  FixedStepSolver(const Model& model, double dt_ms, CableScheme scheme = CableScheme::backward_euler);

  // Advances the state by one step; allocates nothing.
  void step(State& state);
  // Advances by whole steps until state.t >= t_end - dt/2.
  void advance_to(State& state, double t_end);

  [[nodiscard]] double dt() const { return dt_; }
  [[nodiscard]] std::int64_t steps_taken() const { return steps_; }

 private:
  const Model& model_;
  double dt_;
  CableScheme scheme_;
  std::int64_t steps_ = 0;
  double t0_ = 0;
  bool started_ = false;
  // Workspace, sized once.
  std::vector<double> g_, i_, ica_, diag_, rhs_, v_old_;
  std::vector<double> neg_g_axial_;  // off-diagonal of the cable matrix (per node, to its parent)
  std::vector<double> axial_sum_;    // Σ g_axial over each node's links
};

}  // namespace apical
