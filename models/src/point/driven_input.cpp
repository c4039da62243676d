// driven_input — a current and a conductance that the host sets before every step (closed-loop drive:
// the BCI field of view writes its per-neuron synaptic current and inhibitory conductance here):
//   I = g (V − e) − i_inj,   with i_inj (nA, positive depolarises) and g (µS) read from the state.
// Both are inputs, not dynamics: initialise sets them to 0, advance leaves them, and their derivatives
// are 0. The host writes state.values[0] (i_inj) and [1] (g), one entry per (instance, cell), between
// steps; they stay constant over a step. A constant drive can be given to CVODE the same way.
#include <algorithm>

#include "apical/engine/registry.hpp"
#include "../instance_loop.hpp"

namespace apical {
namespace {

class DrivenInput final : public Mechanism {
 public:
  [[nodiscard]] const MechanismInfo& info() const override { return info_; }
  void initialise(const MechanismInstances&, MechanismState& state, const NodeContext&) const override {
    for (auto& s : state.values) std::fill(s.begin(), s.end(), 0.0);
  }
  void add_currents(const MechanismInstances& inst, const MechanismState& state, NodeContext& ctx) const override {
    const double* __restrict i_inj = state.values[I].data();
    const double* __restrict g = state.values[G].data();
    const double* __restrict e = inst.parameters[E].data();
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) {
      ctx.g[n] += g[j];
      ctx.i[n] += g[j] * (ctx.v[n] - e[j]) - i_inj[j];
    });
  }
  void advance(const MechanismInstances&, MechanismState&, const NodeContext&) const override {}
  void derivatives(const MechanismInstances&, const MechanismState&, const NodeContext&,
                   std::vector<std::vector<double>>& dstate) const override {
    for (auto& d : dstate) std::fill(d.begin(), d.end(), 0.0);
  }

 private:
  enum { E };
  enum { I, G };
  MechanismInfo info_{"driven_input", MechanismKind::point_process,
                      "Current and conductance set by the host before every step (closed-loop drive)", "",
                      {{"e", "mV", 0.0, -150.0, 100.0, "reversal potential of the conductance"}},
                      {"i_inj", "g"}};
};

}  // namespace

void register_driven_input(MechanismRegistry& registry) { registry.add(std::make_shared<DrivenInput>()); }

}  // namespace apical
