#pragma once
// Drivers shared by the fast-model tests: run a two-compartment batch with inputs given as functions
// of (neuron, time at the step midpoint), recording spikes, flags and f(V_d).
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include "apical/models/two_compartment/two_compartment.hpp"

namespace apical::test {

struct CellRun {
  std::vector<std::vector<double>> spike_times_ms;  // [neuron]
  std::vector<std::size_t> events, bursts;          // per neuron, from the step flags
  std::vector<std::vector<double>> f_Vd;            // [neuron][step] (only when record_f)
  std::vector<std::vector<double>> V_d_mV;          // [neuron][step] (only when record_f)
};

using InputFn = std::function<double(std::size_t neuron, double t_ms)>;

inline double zero_input(std::size_t, double) { return 0.0; }

inline CellRun run_cell(const TwoCompartmentModel& model, double dt_ms, double t_end_ms, const InputFn& I_s,
                        const InputFn& I_d = zero_input, const InputFn& g_inh = zero_input, bool record_f = false) {
  const std::size_t n = model.size();
  TwoCompartmentState state = model.initial_state();
  std::vector<double> is(n), id(n), gi(n);
  CellRun run;
  run.spike_times_ms.resize(n);
  run.events.assign(n, 0);
  run.bursts.assign(n, 0);
  if (record_f) {
    run.f_Vd.resize(n);
    run.V_d_mV.resize(n);
  }
  const auto steps = static_cast<long>(std::llround(t_end_ms / dt_ms));
  for (long k = 0; k < steps; ++k) {
    const double t_mid = (static_cast<double>(k) + 0.5) * dt_ms;
    for (std::size_t i = 0; i < n; ++i) {
      is[i] = I_s(i, t_mid);
      id[i] = I_d(i, t_mid);
      gi[i] = g_inh(i, t_mid);
    }
    model.step(state, {is, id, gi}, dt_ms);
    const double t_end = static_cast<double>(k + 1) * dt_ms;
    for (std::size_t i = 0; i < n; ++i) {
      if (state.spike[i]) run.spike_times_ms[i].push_back(t_end);
      run.events[i] += static_cast<std::size_t>(state.event[i]);
      run.bursts[i] += static_cast<std::size_t>(state.burst[i]);
      if (record_f) {
        run.f_Vd[i].push_back(state.f_Vd[i]);
        run.V_d_mV[i].push_back(state.V_d_mV[i]);
      }
    }
  }
  return run;
}

inline InputFn constant(std::vector<double> values) {
  return [values = std::move(values)](std::size_t i, double) { return values[i]; };
}

// 1 inside [t0, t1), 0 outside.
inline double window(double t, double t0, double t1) { return (t >= t0 && t < t1) ? 1.0 : 0.0; }

}  // namespace apical::test
