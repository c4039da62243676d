// The fixed-step loop allocates nothing once the solver exists (style guide habit 14): every global
// operator new is counted while the Bahl cell and an HH batch with synaptic events take steps.
#include <catch2/catch.hpp>
#include "../support/allocation_counter.hpp"

#include "apical/engine/fixed_step.hpp"
#include "../support/bahl.hpp"
#include "../support/hh3c.hpp"

using namespace apical;

namespace {
long allocations_while_stepping(const Model& model, int steps) {
  State state = initial_state(model);
  FixedStepSolver solver(model, 0.025);
  const long before = test::allocations_so_far();
  for (int k = 0; k < steps; ++k) solver.step(state);
  return test::allocations_so_far() - before;
}
}  // namespace

TEST_CASE("stepping allocates no memory", "[engine][allocation]") {
  ProtocolSpec bac = test::bahl_protocol(2, 300);
  test::add_iclamp(bac, "soma(0.5)", {100, 100}, {5, 5}, {1.0, 1.0});
  test::add_tuft_epsp(bac, {15, 50});
  const Model bahl = build_model(bac.cell, builtin_mechanisms(), 2, bac.points);
  CHECK(allocations_while_stepping(bahl, 8000) == 0);

  PointPlacement syn{"exp2_synapse", Site{0, 0.5}, {{"weight", {0.001, 0.002}}}, {{1.0, 2.0, 3.0}, {5.0}}};
  const Model hh = build_model(test::hh3c_cell(), builtin_mechanisms(), 2, {test::hh3c_clamp(2, 0.1, 0.0), syn});
  CHECK(allocations_while_stepping(hh, 400) == 0);
}
