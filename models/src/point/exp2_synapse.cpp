// exp2_synapse — double-exponential conductance driven by a spike list (NEURON's Exp2Syn):
//   g = B − A, dA/dt = −A/tau1, dB/dt = −B/tau2; each spike adds weight·f to A and B, with f chosen
//   so that one spike peaks at exactly `weight`. I = g (V − e). tau1 is capped at 0.9999·tau2.
#include <cmath>

#include "apical/engine/registry.hpp"
#include "../instance_loop.hpp"
#include "event_stream.hpp"

namespace apical {
namespace {

class Exp2Synapse final : public Mechanism {
 public:
  [[nodiscard]] const MechanismInfo& info() const override { return info_; }
  void initialise(const MechanismInstances&, MechanismState& state, const NodeContext&) const override {
    for (auto& s : state.values) std::fill(s.begin(), s.end(), 0.0);
  }
  void add_currents(const MechanismInstances& inst, const MechanismState& state, NodeContext& ctx) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) {
      const double g = state.values[B][j] - state.values[A][j];
      ctx.g[n] += g;
      ctx.i[n] += g * (ctx.v[n] - inst.parameters[e][j]);
    });
  }
  void advance(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t) {
      state.values[A][j] *= std::exp(-ctx.dt / tau_rise(inst, j));
      state.values[B][j] *= std::exp(-ctx.dt / inst.parameters[tau2][j]);
    });
  }
  void derivatives(const MechanismInstances& inst, const MechanismState& state, const NodeContext& ctx,
                   std::vector<std::vector<double>>& dstate) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t) {
      dstate[A][j] = -state.values[A][j] / tau_rise(inst, j);
      dstate[B][j] = -state.values[B][j] / inst.parameters[tau2][j];
    });
  }
  void deliver_events(const MechanismInstances& inst, MechanismState& state, double t_until) const override {
    deliver_due_events(inst, state, t_until, [&](std::size_t j) {
      const double t1 = tau_rise(inst, j), t2 = inst.parameters[tau2][j];
      const double t_peak = t1 * t2 / (t2 - t1) * std::log(t2 / t1);
      const double f = 1.0 / (std::exp(-t_peak / t2) - std::exp(-t_peak / t1));
      state.values[A][j] += inst.parameters[weight][j] * f;
      state.values[B][j] += inst.parameters[weight][j] * f;
    });
  }
  [[nodiscard]] double next_discontinuity(const MechanismInstances& inst, const MechanismState& state, double t) const override {
    return next_event_time(inst, state, t);
  }

 private:
  enum { tau1, tau2, e, weight };
  enum { A, B };
  static double tau_rise(const MechanismInstances& inst, std::size_t j) {
    return std::min(inst.parameters[tau1][j], 0.9999 * inst.parameters[tau2][j]);
  }
  MechanismInfo info_{"exp2_synapse", MechanismKind::point_process,
                      "Double-exponential synaptic conductance driven by spike times (NEURON Exp2Syn)", "",
                      {{"tau1", "ms", 0.1, 1e-3, 1e4, "rise time constant"},
                       {"tau2", "ms", 10.0, 1e-3, 1e4, "decay time constant"},
                       {"e", "mV", 0.0, -150.0, 100.0, "reversal potential"},
                       {"weight", "uS", 0.0, 0.0, 1e3, "peak conductance of one spike"}},
                      {"A", "B"},
                      true};
};

}  // namespace

void register_exp2_synapse(MechanismRegistry& registry) { registry.add(std::make_shared<Exp2Synapse>()); }

}  // namespace apical
