// alpha_synapse — alpha-function conductance driven by a spike list. Each spike at t_s adds
//   weight · ((t − t_s)/tau) e^(1 − (t − t_s)/tau),  peaking at `weight` after tau;  I = g (V − e).
// Written as the linear pair da/dt = −a/tau, dg/dt = (a − g)/tau with a += e·weight per spike, which
// a step of any length advances exactly.
#include <cmath>
#include <numbers>

#include "apical/engine/registry.hpp"
#include "../instance_loop.hpp"
#include "event_stream.hpp"

namespace apical {
namespace {

class AlphaSynapse final : public Mechanism {
 public:
  [[nodiscard]] const MechanismInfo& info() const override { return info_; }
  void initialise(const MechanismInstances&, MechanismState& state, const NodeContext&) const override {
    for (auto& s : state.values) std::fill(s.begin(), s.end(), 0.0);
  }
  void add_currents(const MechanismInstances& inst, const MechanismState& state, NodeContext& ctx) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) {
      const double g = state.values[G][j];
      ctx.g[n] += g;
      ctx.i[n] += g * (ctx.v[n] - inst.parameters[e][j]);
    });
  }
  void advance(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t) {
      const double h = ctx.dt / inst.parameters[tau][j], decay = std::exp(-h);
      double& a = state.values[Act][j];
      double& g = state.values[G][j];
      g = (g + a * h) * decay;
      a *= decay;
    });
  }
  void derivatives(const MechanismInstances& inst, const MechanismState& state, const NodeContext& ctx,
                   std::vector<std::vector<double>>& dstate) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t) {
      const double t = inst.parameters[tau][j];
      dstate[Act][j] = -state.values[Act][j] / t;
      dstate[G][j] = (state.values[Act][j] - state.values[G][j]) / t;
    });
  }
  void deliver_events(const MechanismInstances& inst, MechanismState& state, double t_until) const override {
    deliver_due_events(inst, state, t_until,
                       [&](std::size_t j) { state.values[Act][j] += std::numbers::e * inst.parameters[weight][j]; });
  }
  [[nodiscard]] double next_discontinuity(const MechanismInstances& inst, const MechanismState& state, double t) const override {
    return next_event_time(inst, state, t);
  }

 private:
  enum { tau, e, weight };
  enum { Act, G };
  MechanismInfo info_{"alpha_synapse", MechanismKind::point_process,
                      "Alpha-function synaptic conductance driven by spike times", "",
                      {{"tau", "ms", 1.0, 1e-3, 1e4, "time to peak"},
                       {"e", "mV", 0.0, -150.0, 100.0, "reversal potential"},
                       {"weight", "uS", 0.0, 0.0, 1e3, "peak conductance of one spike"}},
                      {"a", "g"},
                      true};
};

}  // namespace

void register_alpha_synapse(MechanismRegistry& registry) { registry.add(std::make_shared<AlphaSynapse>()); }

}  // namespace apical
