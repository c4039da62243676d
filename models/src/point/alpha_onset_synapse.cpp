// alpha_onset_synapse — an alpha-function conductance from a fixed onset (NEURON's AlphaSynapse):
//   g(t) = gmax · x e^(1−x), x = (t − onset)/tau for 0 <= x <= 10, else 0;  I = g (V − e).
// gmax is the peak conductance, reached at t = onset + tau.
#include <cmath>
#include <limits>

#include "apical/engine/registry.hpp"
#include "../instance_loop.hpp"

namespace apical {
namespace {

class AlphaOnsetSynapse final : public Mechanism {
 public:
  [[nodiscard]] const MechanismInfo& info() const override { return info_; }
  void initialise(const MechanismInstances&, MechanismState&, const NodeContext&) const override {}
  void add_currents(const MechanismInstances& inst, const MechanismState&, NodeContext& ctx) const override {
    const auto& P = inst.parameters;
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) {
      const double x = (ctx.t_eval - P[onset][j]) / P[tau][j];
      if (x < 0.0 || x > 10.0) return;
      const double g = P[gmax][j] * x * std::exp(1.0 - x);
      ctx.g[n] += g;
      ctx.i[n] += g * (ctx.v[n] - P[e][j]);
    });
  }
  void advance(const MechanismInstances&, MechanismState&, const NodeContext&) const override {}
  void derivatives(const MechanismInstances&, const MechanismState&, const NodeContext&,
                   std::vector<std::vector<double>>&) const override {}
  [[nodiscard]] double next_discontinuity(const MechanismInstances& inst, const MechanismState&, double t) const override {
    double next = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < inst.parameters[onset].size(); ++j) {
      if (inst.parameters[gmax][j] == 0.0) continue;
      const double start = inst.parameters[onset][j], end = start + 10.0 * inst.parameters[tau][j];
      if (start > t) next = std::min(next, start);
      if (end > t) next = std::min(next, end);
    }
    return next;
  }

 private:
  enum { onset, tau, gmax, e };
  MechanismInfo info_{"alpha_onset_synapse", MechanismKind::point_process,
                      "Alpha-function conductance from a fixed onset (NEURON AlphaSynapse)", "",
                      {{"onset", "ms", 0.0, 0.0, 1e9, "start of the conductance"},
                       {"tau", "ms", 0.1, 1e-3, 1e4, "time to peak"},
                       {"gmax", "uS", 0.0, 0.0, 1e3, "peak conductance"},
                       {"e", "mV", 0.0, -150.0, 100.0, "reversal potential"}},
                      {}};
};

}  // namespace

void register_alpha_onset_synapse(MechanismRegistry& registry) { registry.add(std::make_shared<AlphaOnsetSynapse>()); }

}  // namespace apical
