// A sealed passive cable with a steady current into one end against the cable equation:
//   V(x) − E = I·r_a·λ·cosh((L − x)/λ)/sinh(L/λ),  λ = √(R_m d / 4R_a),  r_a = 4R_a/(π d²),
// and second-order convergence of the compartmental answer in the segment length.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "apical/engine/fixed_step.hpp"
#include "apical/models/build_model.hpp"
#include "apical/models/register_all.hpp"

using namespace apical;

namespace {

constexpr double L_um = 1000, d_um = 2, Ra = 100, Rm = 20000, E = -65, I_nA = 0.05;

double max_relative_error(int nseg) {
  CellDescription cell;
  SectionSpec s;
  s.name = "cable";
  s.length_um = L_um;
  s.diam_start_um = s.diam_end_um = d_um;
  s.nseg = nseg;
  s.Ra_ohm_cm = Ra;
  s.cm_uF_per_cm2 = 1.0;
  cell.morphology.sections = {s};
  cell.v_init_mV = E;
  cell.mechanisms = {{"pas", {0}, {{"g", DistanceRule::constant_value(1.0 / Rm)}, {"e", DistanceRule::constant_value(E)}}}};
  PointPlacement clamp{"iclamp", Site{0, 0.0}, {{"delay", {0.0}}, {"dur", {1e9}}, {"amp", {I_nA}}}, {}};
  const Model model = build_model(cell, builtin_mechanisms(), 1, {clamp});
  State state = initial_state(model);
  FixedStepSolver solver(model, 0.1);
  solver.advance_to(state, 400);  // 20 membrane time constants

  const double lambda_um = std::sqrt(Rm * d_um * 1e-4 / (4 * Ra)) * 1e4;
  const double ra_Mohm_per_um = 4 * Ra / (std::numbers::pi * d_um * d_um) * 1e-2;  // 0.01·Ra/(π d²/4) per µm
  double worst = 0;
  for (int j = 0; j < nseg; ++j) {
    const double x = (j + 0.5) * L_um / nseg;
    const double expected = I_nA * ra_Mohm_per_um * lambda_um * std::cosh((L_um - x) / lambda_um) /
                            std::sinh(L_um / lambda_um);
    const double got = state.v[model.cable.segment_nodes[0][j]] - E;
    worst = std::max(worst, std::abs(got - expected) / expected);
  }
  return worst;
}

}  // namespace

TEST_CASE("passive cable matches the analytic steady state and converges at second order", "[engine][cable]") {
  const double e50 = max_relative_error(50), e100 = max_relative_error(100), e200 = max_relative_error(200);
  CHECK(e200 < 1e-4);
  CHECK(e50 / e100 == Approx(4.0).epsilon(0.1));
  CHECK(e100 / e200 == Approx(4.0).epsilon(0.1));
}
