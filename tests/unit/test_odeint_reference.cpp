// The fixed-step solver against an integrator it shares no code with: HH-3C written out here as a
// plain ODE and integrated by Boost.Odeint's dense-output Dormand–Prince 5(4) at tight tolerance.
// Backward Euler is first order: at dt = 0.0025 ms the spike times drift by about 0.006 ms per spike.
#include <array>
#include <boost/numeric/odeint.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "apical/engine/cvode_integrator.hpp"
#include "apical/engine/fixed_step.hpp"
#include "apical/engine/spike_detector.hpp"
#include "../support/hh3c.hpp"

using namespace apical;
using HhState = std::array<double, 12>;  // V, m, h, n for 3 compartments

namespace {

struct Hh3cOde {
  double amp_nA;
  void operator()(const HhState& x, HhState& dx, double /*t*/) const {
    const double area_cm2 = std::numbers::pi * 2.0 * 20.0 * 1e-8;
    const double C_nF = 1.0 * area_cm2 * 1e3;  // 1 µF/cm²
    const double g_ax_uS = 1.0 / (2 * 0.01 * 35.4 * 10.0 / (std::numbers::pi * 1.0));  // two halves of 10 µm
    for (int k = 0; k < 3; ++k) {
      const double v = x[4 * k], m = x[4 * k + 1], h = x[4 * k + 2], n = x[4 * k + 3];
      const auto trap = [](double a, double b) { return std::abs(a / b) < 1e-6 ? b * (1 - a / b / 2) : a / (std::exp(a / b) - 1); };
      const double am = 0.1 * trap(-(v + 40), 10), bm = 4 * std::exp(-(v + 65) / 18);
      const double ah = 0.07 * std::exp(-(v + 65) / 20), bh = 1 / (std::exp(-(v + 35) / 10) + 1);
      const double an = 0.01 * trap(-(v + 55), 10), bn = 0.125 * std::exp(-(v + 65) / 80);
      const double i_density = 0.12 * m * m * m * h * (v - 50) + 0.036 * n * n * n * n * (v + 77) + 0.0003 * (v + 54.3);
      double i_nA = i_density * area_cm2 * 1e6;  // mA/cm² · cm² → nA
      if (k == 0) i_nA -= amp_nA;
      double axial = 0;
      if (k > 0) axial += g_ax_uS * (x[4 * (k - 1)] - v);
      if (k < 2) axial += g_ax_uS * (x[4 * (k + 1)] - v);
      dx[4 * k] = (axial - i_nA) / C_nF;
      dx[4 * k + 1] = am * (1 - m) - bm * m;
      dx[4 * k + 2] = ah * (1 - h) - bh * h;
      dx[4 * k + 3] = an * (1 - n) - bn * n;
    }
  }
};

std::vector<double> odeint_spikes(double t_end) {
  HhState x{};
  for (int k = 0; k < 3; ++k) {
    const double v = -65;
    const double am = 0.1 * 25 / (std::exp(2.5) - 1), bm = 4.0;
    const double ah = 0.07, bh = 1 / (std::exp(3.0) + 1);
    const double an = 0.01 * 10 / (std::exp(1.0) - 1), bn = 0.125;
    x[4 * k] = v;
    x[4 * k + 1] = am / (am + bm);
    x[4 * k + 2] = ah / (ah + bh);
    x[4 * k + 3] = an / (an + bn);
  }
  using namespace boost::numeric::odeint;
  auto stepper = make_dense_output(1e-10, 1e-10, runge_kutta_dopri5<HhState>());
  SpikeDetector detector(0.0);
  integrate_const(stepper, Hh3cOde{0.1}, x, 0.0, t_end, 0.0025,
                  [&](const HhState& s, double t) { detector.sample(t, s[0]); });
  return detector.spike_times();
}

std::vector<double> engine_spikes(double dt, double t_end) {
  const Model model = test::hh3c_model(1, 0.1, 0.0);
  State state = initial_state(model);
  FixedStepSolver solver(model, dt);
  const int node = model.cable.segment_nodes[0][0];
  SpikeDetector detector(0.0);
  detector.sample(0, state.v[node]);
  while (state.t < t_end - dt / 2) {
    solver.step(state);
    detector.sample(state.t, state.v[node]);
  }
  return detector.spike_times();
}

std::vector<double> cvode_spikes(double t_end) {
  const Model model = test::hh3c_model(1, 0.1, 0.0);
  State state = initial_state(model);
  CvodeIntegrator cvode(model, state, {1e-9, 1e-9, 0.0});
  const int node = model.cable.segment_nodes[0][0];
  SpikeDetector detector(0.0);
  detector.sample(0, state.v[node]);
  for (int k = 1; k * 0.0025 <= t_end + 1e-9; ++k) {
    cvode.advance_to(state, k * 0.0025);
    detector.sample(state.t, state.v[node]);
  }
  return detector.spike_times();
}

}  // namespace

TEST_CASE("fixed step and CVODE agree with Boost.Odeint dopri5 on HH-3C", "[engine][reference]") {
  const double t_end = 100;
  const auto reference = odeint_spikes(t_end);
  REQUIRE(reference.size() == 10);
  const auto be = engine_spikes(0.0025, t_end);
  const auto cv = cvode_spikes(t_end);
  REQUIRE(be.size() == reference.size());
  REQUIRE(cv.size() == reference.size());
  for (std::size_t k = 0; k < reference.size(); ++k) {
    CHECK(be[k] == Approx(reference[k]).margin(0.1));
    CHECK(cv[k] == Approx(reference[k]).margin(2e-3));
  }
}

TEST_CASE("backward Euler converges at first order as dt halves", "[engine][convergence]") {
  const double t_end = 100;
  const auto reference = odeint_spikes(t_end);
  std::vector<double> errors;
  for (double dt : {0.02, 0.01, 0.005}) {
    const auto s = engine_spikes(dt, t_end);
    REQUIRE(s.size() == reference.size());
    errors.push_back(std::abs(s.back() - reference.back()));
  }
  CHECK(errors[0] / errors[1] == Approx(2.0).epsilon(0.15));
  CHECK(errors[1] / errors[2] == Approx(2.0).epsilon(0.15));
}

TEST_CASE("Crank-Nicolson is more accurate than backward Euler at the same dt", "[engine][convergence]") {
  const double t_end = 50;
  const auto reference = odeint_spikes(t_end);
  const Model model = test::hh3c_model(1, 0.1, 0.0);
  const int node = model.cable.segment_nodes[0][0];
  const auto run = [&](CableScheme scheme) {
    State state = initial_state(model);
    FixedStepSolver solver(model, 0.01, scheme);
    SpikeDetector detector(0.0);
    while (state.t < t_end - 0.005) {
      solver.step(state);
      detector.sample(state.t, state.v[node]);
    }
    return detector.spike_times();
  };
  const auto be = run(CableScheme::backward_euler), cn = run(CableScheme::crank_nicolson);
  REQUIRE(be.size() == reference.size());
  REQUIRE(cn.size() == reference.size());
  CHECK(std::abs(cn.back() - reference.back()) < std::abs(be.back() - reference.back()));
}
