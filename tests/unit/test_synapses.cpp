// Spike-list synapses: one spike's conductance peaks at `weight` (Exp2Syn's normalisation; the alpha
// synapse after tau), events land on the step NEURON would deliver them, and CVODE, which stops at
// each event, agrees with a fine fixed step.
#include <catch2/catch.hpp>
#include <cmath>

#include "apical/engine/cvode_integrator.hpp"
#include "apical/engine/fixed_step.hpp"
#include "apical/engine/spike_detector.hpp"
#include "../support/hh3c.hpp"

using namespace apical;

namespace {

// Peak conductance and its time for one spike at 1 ms, read from the synapse's own states.
std::pair<double, double> conductance_peak(const std::string& mechanism, std::map<std::string, std::vector<double>> params,
                                           double dt) {
  PointPlacement syn{mechanism, Site{0, 0.5}, std::move(params), {{1.0}}};
  const Model model = build_model(test::hh3c_cell(), builtin_mechanisms(), 1, {syn});
  const int g = model.group_index(mechanism);
  State state = initial_state(model);
  FixedStepSolver solver(model, dt);
  double peak = 0, t_peak = 0;
  while (state.t < 30) {
    solver.step(state);
    const auto& s = state.mechanisms[g].values;
    const double conductance = mechanism == "exp2_synapse" ? s[1][0] - s[0][0] : s[1][0];
    if (conductance > peak) peak = conductance, t_peak = state.t;
  }
  return {peak, t_peak};
}

}  // namespace

TEST_CASE("one spike peaks at the synaptic weight", "[models][synapse]") {
  const double dt = 0.001;
  const auto [exp2_peak, exp2_t] = conductance_peak("exp2_synapse", {{"tau1", {0.5}}, {"tau2", {5.0}}, {"weight", {0.004}}}, dt);
  const double t_rise = 0.5 * 5.0 / 4.5 * std::log(10.0);  // time of the peak after the spike
  CHECK(exp2_peak == Approx(0.004).epsilon(1e-4));
  CHECK(exp2_t == Approx(1.0 + t_rise).margin(2 * dt));

  const auto [alpha_peak, alpha_t] = conductance_peak("alpha_synapse", {{"tau", {2.0}}, {"weight", {0.003}}}, dt);
  CHECK(alpha_peak == Approx(0.003).epsilon(1e-6));
  CHECK(alpha_t == Approx(3.0).margin(2 * dt));
}

TEST_CASE("events are delivered at the first step whose midpoint reaches them", "[models][synapse]") {
  // A spike at 1.01 ms with dt = 0.025: midpoints 0.9875 (too early) and 1.0125, so it lands in the
  // step from 1.0 to 1.025 and the conductance is already non-zero at t = 1.025.
  PointPlacement syn{"exp2_synapse", Site{0, 0.5}, {{"weight", {0.001}}}, {{1.01}}};
  const Model model = build_model(test::hh3c_cell(), builtin_mechanisms(), 1, {syn});
  State state = initial_state(model);
  FixedStepSolver solver(model, 0.025);
  solver.advance_to(state, 1.0);
  CHECK(state.mechanisms[model.group_index("exp2_synapse")].next_event[0] == 0);
  solver.step(state);
  CHECK(state.mechanisms[model.group_index("exp2_synapse")].next_event[0] == 1);
}

TEST_CASE("CVODE handles synaptic events like a fine fixed step", "[engine][cvode][synapse]") {
  PointPlacement syn{"exp2_synapse", Site{0, 0.5}, {{"tau1", {0.2}}, {"tau2", {3.0}}, {"weight", {0.02}}},
                     {{5.0, 20.0, 21.0, 40.0}}};
  const Model model = build_model(test::hh3c_cell(), builtin_mechanisms(), 1, {syn});
  const int node = model.cable.segment_nodes[0][1];
  const auto fixed = [&] {
    State state = initial_state(model);
    FixedStepSolver solver(model, 0.001);
    SpikeDetector d(0.0);
    while (state.t < 60 - 0.0005) {
      solver.step(state);
      d.sample(state.t, state.v[node]);
    }
    return d.spike_times();
  }();
  State state = initial_state(model);
  CvodeIntegrator cvode(model, state, {1e-8, 1e-8, 0.0});
  SpikeDetector d(0.0);
  for (int k = 1; k <= 60000; ++k) {
    cvode.advance_to(state, k * 0.001);
    d.sample(state.t, state.v[node]);
  }
  REQUIRE(fixed.size() >= 3);
  REQUIRE(d.spike_times().size() == fixed.size());
  for (std::size_t k = 0; k < fixed.size(); ++k) CHECK(d.spike_times()[k] == Approx(fixed[k]).margin(0.02));
}
