// Two-compartment L5 cell (Naud & Sprekeler 2018; Payeur et al. 2021): f–I behaviour, BAC-like
// bursting, O1 apical inhibition, convergence in dt against a Boost.Odeint RK4 reference that shares no
// code with the model, and bit-identity of a vectorised batch with single-neuron runs.
#include <algorithm>
#include <array>
#include <boost/numeric/odeint.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <set>
#include <string>

#include "apical/models/two_compartment/two_compartment.hpp"
#include "fast_support.hpp"

using namespace apical;
using apical::test::run_cell;
using Catch::Matchers::Contains;

namespace {

double rate_Hz(const std::vector<double>& spikes, double t0_ms, double t1_ms) {
  const auto n = std::count_if(spikes.begin(), spikes.end(), [&](double t) { return t >= t0_ms && t < t1_ms; });
  return 1000.0 * static_cast<double>(n) / (t1_ms - t0_ms);
}

// --- Reference: the same equations as a plain ODE, RK4 at a fine fixed step, reset after each step. ---
using OdeState = std::array<double, 5>;  // V_s, V_d, w_s, w_d, θ

struct ReferenceInputs {
  double I_s(double t) const { return 650.0 + 250.0 * std::sin(2 * std::numbers::pi * t / 200.0); }
  double I_d(double t) const { return 250.0 + 300.0 * std::sin(2 * std::numbers::pi * t / 330.0 + 1.0); }
  double g_inh(double t) const { return 6.0 + 6.0 * std::sin(2 * std::numbers::pi * t / 66.7); }
};

struct ReferenceOde {
  TwoCompartmentParameters p;
  ReferenceInputs in;
  double last_spike_ms = -1e9;
  void operator()(const OdeState& x, OdeState& dx, double t) const {
    const double f = 1.0 / (1.0 + std::exp(-(x[1] - p.E_d_mV) / p.D_mV));
    const double K = (t >= last_spike_ms && t < last_spike_ms + p.bap_duration_ms) ? 1.0 : 0.0;
    dx[0] = (-(p.C_s_pF / p.tau_s_ms) * (x[0] - p.E_L_mV) + p.g_s_pA * f + p.b_w_pA * x[2] + in.I_s(t)) / p.C_s_pF;
    dx[1] = (-(p.C_d_pF / p.tau_d_ms) * (x[1] - p.E_L_mV) + p.g_d_pA * f + p.c_d_pA * K + p.a_w_nS * x[3] -
             in.g_inh(t) * (x[1] - p.E_inh_mV) + in.I_d(t)) /
            p.C_d_pF;
    dx[2] = -x[2] / p.tau_ws_ms;
    dx[3] = ((x[1] - p.E_L_mV) - x[3]) / p.tau_wd_ms;
    dx[4] = (p.theta_0_mV - x[4]) / p.tau_theta_ms;
  }
};

// Spike times and V_d sampled every millisecond.
struct Trace {
  std::vector<double> spikes_ms, V_d_per_ms;
};

Trace reference_trace(double t_end_ms, double h_ms) {
  ReferenceOde ode;
  const TwoCompartmentParameters& p = ode.p;
  OdeState x{p.E_L_mV, p.E_L_mV, 0.0, 0.0, p.theta_0_mV};
  boost::numeric::odeint::runge_kutta4<OdeState> rk4;
  Trace trace;
  const auto steps = std::llround(t_end_ms / h_ms), per_ms = std::llround(1.0 / h_ms);
  for (long long k = 0; k < steps; ++k) {
    rk4.do_step(std::ref(ode), x, static_cast<double>(k) * h_ms, h_ms);
    const double t = static_cast<double>(k + 1) * h_ms;
    if (x[0] > x[4]) {
      x[0] = p.E_reset_mV;
      x[4] += p.delta_theta_mV;
      x[2] += 1.0;
      ode.last_spike_ms = t;
      trace.spikes_ms.push_back(t);
    }
    if ((k + 1) % per_ms == 0) trace.V_d_per_ms.push_back(x[1]);
  }
  return trace;
}

Trace model_trace(double t_end_ms, double dt_ms) {
  const TwoCompartmentModel model({}, 1);
  TwoCompartmentState s = model.initial_state();
  const ReferenceInputs in;
  Trace trace;
  const auto steps = std::llround(t_end_ms / dt_ms);
  const double per_ms = 1.0 / dt_ms;
  for (long long k = 0; k < steps; ++k) {
    const double t_mid = (static_cast<double>(k) + 0.5) * dt_ms;
    const double is = in.I_s(t_mid), id = in.I_d(t_mid), gi = in.g_inh(t_mid);
    model.step(s, {{&is, 1}, {&id, 1}, {&gi, 1}}, dt_ms);
    if (s.spike[0]) trace.spikes_ms.push_back(static_cast<double>(k + 1) * dt_ms - s.spike_offset_ms[0]);
    const double k_ms = static_cast<double>(k + 1) / per_ms;
    if (std::abs(k_ms - std::round(k_ms)) < 1e-9) trace.V_d_per_ms.push_back(s.V_d_mV[0]);
  }
  return trace;
}

struct TraceError {
  long count_difference = 0;
  double mean_spike_shift_ms = 0;  // over the spikes of the shorter train, paired in order
  double rms_V_d_mV = 0;
};

TraceError compare(const Trace& a, const Trace& ref) {
  TraceError e;
  e.count_difference = static_cast<long>(a.spikes_ms.size()) - static_cast<long>(ref.spikes_ms.size());
  const std::size_t n = std::min(a.spikes_ms.size(), ref.spikes_ms.size());
  for (std::size_t k = 0; k < n; ++k) e.mean_spike_shift_ms += std::abs(a.spikes_ms[k] - ref.spikes_ms[k]);
  if (n) e.mean_spike_shift_ms /= static_cast<double>(n);
  const std::size_t m = std::min(a.V_d_per_ms.size(), ref.V_d_per_ms.size());
  for (std::size_t k = 0; k < m; ++k) e.rms_V_d_mV += (a.V_d_per_ms[k] - ref.V_d_per_ms[k]) * (a.V_d_per_ms[k] - ref.V_d_per_ms[k]);
  e.rms_V_d_mV = std::sqrt(e.rms_V_d_mV / static_cast<double>(m));
  return e;
}

}  // namespace

TEST_CASE("two-compartment: firing rate grows with somatic current", "[models][two_compartment]") {
  const std::vector<double> currents{0, 300, 450, 550, 700, 900, 1200, 1600, 2000};
  const TwoCompartmentModel model({}, currents.size());
  const auto run = run_cell(model, 0.1, 3000.0, test::constant(currents));
  std::vector<double> rates;
  for (const auto& spikes : run.spike_times_ms) rates.push_back(rate_Hz(spikes, 1000.0, 3000.0));
  INFO("rates (Hz) at 0…2000 pA: " << Catch::Detail::stringify(rates));
  // Rheobase is (θ₀ − E_L)·C_s/τ_s ≈ 462 pA: silent below it, monotonically faster above it.
  CHECK(rates[0] == 0.0);
  CHECK(rates[1] == 0.0);
  CHECK(rates[2] == 0.0);
  for (std::size_t k = 4; k < rates.size(); ++k) CHECK(rates[k] > rates[k - 1]);
  CHECK(rates.back() > 40.0);
  // Moderate somatic drive alone (700 pA) gives regular, adapting spiking without bursts.
  CHECK(run.bursts[4] == 0);
}

TEST_CASE("two-compartment: dendritic input added to somatic drive makes bursts (BAC-like)", "[models][two_compartment]") {
  // Neuron 0: soma only; 1: dendrite only; 2: both.
  const TwoCompartmentModel model({}, 3);
  const auto run = run_cell(model, 0.1, 3000.0, test::constant({600, 0, 600}), test::constant({0, 400, 400}));
  const auto counts = [&](std::size_t i) {
    return count_bursts_and_events(classify_spike_train(run.spike_times_ms[i]));
  };
  INFO("soma only: " << counts(0).spikes << " spikes, " << counts(0).bursts << " bursts; dendrite only: "
                     << counts(1).spikes << " spikes; both: " << counts(2).spikes << " spikes, " << counts(2).bursts
                     << " bursts of " << counts(2).events << " events");
  CHECK(counts(0).spikes > 0);
  CHECK(counts(0).bursts == 0);
  CHECK(counts(1).spikes == 0);  // 400 pA alone stays below the dendritic Ca threshold
  CHECK(counts(2).spikes > counts(0).spikes + counts(1).spikes);
  CHECK(counts(2).burst_fraction() > 0.5);

  SECTION("coincidence: a single AP becomes a burst only with concurrent dendritic depolarisation") {
    const TwoCompartmentModel cells({}, 3);
    // 0: a brief somatic pulse (one AP at ≈ 12 ms); 1: dendritic step alone; 2: both.
    const auto pulse = [](std::size_t i, double t) { return i != 1 ? 3000.0 * test::window(t, 10, 13) : 0.0; };
    const auto step = [](std::size_t i, double t) { return i != 0 ? 400.0 * test::window(t, 0, 40) : 0.0; };
    const auto bac = run_cell(cells, 0.1, 200.0, pulse, step, test::zero_input, true);
    CHECK(bac.spike_times_ms[0].size() == 1);
    CHECK(bac.spike_times_ms[1].empty());
    CHECK(bac.spike_times_ms[2].size() >= 2);
    CHECK(bac.bursts[2] == 1);
    // The dendrite reaches its regenerative branch only in the coincident case.
    const auto peak_f = [&](std::size_t i) { return *std::max_element(bac.f_Vd[i].begin(), bac.f_Vd[i].end()); };
    CHECK(peak_f(0) < 0.5);
    CHECK(peak_f(1) < 0.5);
    CHECK(peak_f(2) > 0.9);
  }
}

TEST_CASE("two-compartment: apical inhibition (O1) suppresses dendritic events and bursts", "[models][two_compartment]") {
  const TwoCompartmentModel model({}, 2);
  const auto run = run_cell(model, 0.2, 5000.0, test::constant({600, 600}), test::constant({400, 400}),
                            test::constant({0.0, 20.0}), true);
  const auto counts0 = count_bursts_and_events(classify_spike_train(run.spike_times_ms[0]));
  const auto counts1 = count_bursts_and_events(classify_spike_train(run.spike_times_ms[1]));
  double mean_f0 = 0, mean_f1 = 0;
  for (std::size_t k = 0; k < run.f_Vd[0].size(); ++k) {
    mean_f0 += run.f_Vd[0][k];
    mean_f1 += run.f_Vd[1][k];
  }
  INFO("burst fraction without / with 20 nS: " << counts0.burst_fraction() << " / " << counts1.burst_fraction());
  CHECK(counts1.burst_fraction() < 0.5 * counts0.burst_fraction());
  CHECK(mean_f1 < 0.5 * mean_f0);
  CHECK(counts1.events > 0);  // somatic events survive: the manipulation targets the dendrite
}

TEST_CASE("two-compartment: step flags agree with offline classification of the same spikes", "[models][two_compartment]") {
  const std::size_t n = 6;
  const TwoCompartmentModel model({}, n);
  const auto I_s = [](std::size_t i, double t) { return 500.0 + 60.0 * i + 200.0 * std::sin(t / (40.0 + 7 * i)); };
  const auto I_d = [](std::size_t i, double t) { return 300.0 * (1.0 + std::sin(t / (90.0 + 11 * i))); };
  const auto run = run_cell(model, 0.25, 4000.0, I_s, I_d);
  std::size_t total_bursts = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto counts = count_bursts_and_events(classify_spike_train(run.spike_times_ms[i]));
    CHECK(run.events[i] == counts.events);
    CHECK(run.bursts[i] == counts.bursts);
    total_bursts += counts.bursts;
  }
  CHECK(total_bursts > 10);
}

TEST_CASE("two-compartment: exponential Euler converges to a fine-step RK4 reference", "[models][two_compartment]") {
  // Smooth somatic, dendritic and inhibitory inputs exercise every term; 400 ms hold ≈ 10 spikes,
  // including bursts. The reference is RK4 at 1 µs (Boost.Odeint), written independently above.
  const double t_end = 400.0;
  const Trace ref = reference_trace(t_end, 0.001);
  REQUIRE(ref.spikes_ms.size() >= 8);
  const auto bursts = count_bursts_and_events(classify_spike_train(ref.spikes_ms)).bursts;
  REQUIRE(bursts >= 1);
  std::vector<TraceError> errors;
  for (double dt : {0.5, 0.25, 0.1, 0.05, 0.025}) {
    errors.push_back(compare(model_trace(t_end, dt), ref));
    const TraceError& e = errors.back();
    UNSCOPED_INFO("dt " << dt << " ms: spike count " << (e.count_difference >= 0 ? "+" : "") << e.count_difference
               << ", mean spike shift " << e.mean_spike_shift_ms << " ms, V_d RMS " << e.rms_V_d_mV << " mV");
  }
  // Spike times here are the interpolated crossings (step end − spike_offset_ms).
  // dt = 0.5 ms, the coarsest we use: same spikes, shifted by less than half a step on average.
  CHECK(errors[0].count_difference == 0);
  CHECK(errors[0].mean_spike_shift_ms < 0.4);
  CHECK(errors[0].rms_V_d_mV < 1.5);
  // dt = 0.1 ms: spike times within 0.08 ms, V_d within 1 mV RMS.
  CHECK(errors[2].count_difference == 0);
  CHECK(errors[2].mean_spike_shift_ms < 0.08);
  CHECK(errors[2].rms_V_d_mV < 1.0);
  // First order: the spike-time error shrinks about as fast as dt (0.25 → 0.05 ms, 5×).
  CHECK(errors[1].mean_spike_shift_ms / errors[3].mean_spike_shift_ms > 3.0);
  CHECK(errors[4].mean_spike_shift_ms < errors[3].mean_spike_shift_ms);
  CHECK(errors[4].rms_V_d_mV < errors[3].rms_V_d_mV);
}

TEST_CASE("two-compartment: a vectorised batch equals single-neuron runs bit for bit", "[models][two_compartment]") {
  const std::size_t n = 37;  // not a multiple of any vector width
  TwoCompartmentPerNeuron per;
  for (std::size_t i = 0; i < n; ++i) {
    per.theta_0_mV.push_back(-52.0 + 0.1 * static_cast<double>(i));
    per.g_s_pA.push_back(1300.0 - 10.0 * static_cast<double>(i));
    per.g_d_pA.push_back(1200.0);
    per.c_d_pA.push_back(i % 5 == 0 ? 0.0 : 2600.0);
  }
  const TwoCompartmentModel batch({}, n, per);
  std::vector<TwoCompartmentModel> singles;
  for (std::size_t i = 0; i < n; ++i) {
    TwoCompartmentPerNeuron one{{per.theta_0_mV[i]}, {per.g_s_pA[i]}, {per.g_d_pA[i]}, {per.c_d_pA[i]}};
    singles.emplace_back(TwoCompartmentParameters{}, 1, one);
  }
  TwoCompartmentState sb = batch.initial_state();
  std::vector<TwoCompartmentState> ss;
  for (const auto& m : singles) ss.push_back(m.initial_state());
  std::vector<double> is(n), id(n), gi(n);
  const double dt = 0.25;
  std::size_t spikes = 0;
  for (int k = 0; k < 8000; ++k) {
    const double t = k * dt;
    for (std::size_t i = 0; i < n; ++i) {
      is[i] = 400.0 + 15.0 * static_cast<double>(i) + 300.0 * std::sin(t / (50.0 + static_cast<double>(i)));
      id[i] = 400.0 * std::sin(t / (120.0 + 3.0 * static_cast<double>(i)));
      gi[i] = (k / 20) % 7 == 0 ? 15.0 : 0.0;
    }
    batch.step(sb, {is, id, gi}, dt);
    for (std::size_t i = 0; i < n; ++i) singles[i].step(ss[i], {{&is[i], 1}, {&id[i], 1}, {&gi[i], 1}}, dt);
    for (std::size_t i = 0; i < n; ++i) spikes += sb.spike[i];
  }
  CHECK(spikes > 1000);
  for (std::size_t i = 0; i < n; ++i) {
    INFO("neuron " << i);
    CHECK(sb.V_s_mV[i] == ss[i].V_s_mV[0]);
    CHECK(sb.V_d_mV[i] == ss[i].V_d_mV[0]);
    CHECK(sb.w_s[i] == ss[i].w_s[0]);
    CHECK(sb.w_d_mV[i] == ss[i].w_d_mV[0]);
    CHECK(sb.theta_mV[i] == ss[i].theta_mV[0]);
    CHECK(sb.f_Vd[i] == ss[i].f_Vd[0]);
    CHECK(sb.since_spike_ms[i] == ss[i].since_spike_ms[0]);
    CHECK(sb.spikes_in_event[i] == ss[i].spikes_in_event[0]);
    CHECK(sb.bap_remaining_ms[i] == ss[i].bap_remaining_ms[0]);
  }
}

TEST_CASE("two-compartment: parameter specs, validation and size checks", "[models][two_compartment]") {
  const auto specs = two_compartment_parameter_specs();
  CHECK(specs.size() == 21);
  std::set<std::string> names;
  for (const auto& s : specs) {
    names.insert(s.name);
    CHECK(s.default_value >= s.min);
    CHECK(s.default_value <= s.max);
    CHECK_FALSE(s.unit.empty());
  }
  CHECK(names.size() == specs.size());
  CHECK(specs[0].name == "E_L");
  CHECK(specs[0].default_value == -70.0);

  TwoCompartmentParameters bad;
  bad.tau_d_ms = -1.0;
  CHECK_THROWS_WITH(TwoCompartmentModel(bad, 4), Contains("tau_d"));
  bad = {};
  bad.D_mV = std::nan("");
  CHECK_THROWS_WITH(validate(bad), Contains("'D'"));
  CHECK_THROWS_WITH(TwoCompartmentModel({}, 3, {{1.0, 2.0}, {}, {}, {}}), Contains("theta_0"));
  CHECK_THROWS(TwoCompartmentModel({}, 0));

  const TwoCompartmentModel model({}, 3);
  TwoCompartmentState s = model.initial_state();
  const std::vector<double> three(3, 0.0), two(2, 0.0);
  CHECK_NOTHROW(model.step(s, {three, three, three}, 0.1));
  CHECK_THROWS_WITH(model.step(s, {three, two, three}, 0.1), Contains("I_d"));
  CHECK_THROWS(model.step(s, {three, three, three}, 0.0));
  CHECK(s.t_ms == Approx(0.1));
}
