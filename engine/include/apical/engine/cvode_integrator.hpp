#pragma once
// Variable-step, variable-order BDF integration of one Model with SUNDIALS CVODE: the accurate path.
//
// The unknowns are the voltages of nodes with membrane plus every mechanism state; zero-area nodes
// are algebraic and solved from their neighbours at each evaluation. Stimulus edges and synaptic
// events are integration stops, after which CVODE restarts from the updated state.
#include <memory>

#include "apical/engine/model.hpp"

namespace apical {

struct CvodeOptions {
  double relative_tolerance = 1e-6;
  double absolute_tolerance = 1e-6;   // applied to every unknown (mV, gate fractions, mM)
  double max_step_ms = 0.0;           // 0: no limit
};

class CvodeIntegrator {
 public:
  CvodeIntegrator(const Model& model, const State& initial, CvodeOptions options = {});
  ~CvodeIntegrator();
  CvodeIntegrator(const CvodeIntegrator&) = delete;
  CvodeIntegrator& operator=(const CvodeIntegrator&) = delete;

  // Integrates to t_out and writes the solution there into state (which must come from the same model).
  void advance_to(State& state, double t_out);
  [[nodiscard]] long steps_taken() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apical
