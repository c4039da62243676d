// cad — the Ca pool of the Bahl et al. (2012) tuft: a shell of depth δ filled by inward Ca current
// and emptied towards [Ca]∞ with τ_r, with no buffering and no outward pumping:
//   d[Ca]/dt = max(0, −10⁴·I_Ca/(2F·δ)) + ([Ca]∞ − [Ca])/τ_r      (I_Ca mA/cm², δ µm, [Ca] mM)
// Forward Euler as in the original. It is a phenomenological drive for kca, not free Ca²⁺.
#include <algorithm>

#include "apical/engine/registry.hpp"
#include "../instance_loop.hpp"

namespace apical {
namespace {

constexpr double faraday_C_per_mol = 96485.33212331001;

class Cad final : public Mechanism {
 public:
  [[nodiscard]] const MechanismInfo& info() const override { return info_; }

  void initialise(const MechanismInstances& inst, MechanismState& state, const NodeContext&) const override {
    for (std::size_t j = 0; j < state.values[0].size(); ++j) state.values[0][j] = inst.parameters[cainf][j];
  }
  void add_currents(const MechanismInstances&, const MechanismState&, NodeContext&) const override {}
  void write_ions(const MechanismInstances& inst, const MechanismState& state, NodeContext& ctx) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) { ctx.cai[n] = state.values[0][j]; });
  }
  void advance(const MechanismInstances& inst, MechanismState& state, const NodeContext& ctx) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) {
      double& ca = state.values[0][j];
      ca += ctx.dt * rate(inst, j, ctx.ica[n], ca);
      ctx.cai[n] = ca;
    });
  }
  void derivatives(const MechanismInstances& inst, const MechanismState& state, const NodeContext& ctx,
                   std::vector<std::vector<double>>& dstate) const override {
    for_each_instance(inst, ctx.n_cells, [&](std::size_t j, std::size_t n) {
      dstate[0][j] = rate(inst, j, ctx.ica[n], state.values[0][j]);
    });
  }

 private:
  enum { depth, taur, cainf };
  static double rate(const MechanismInstances& inst, std::size_t j, double ica, double ca) {
    const double influx = std::max(0.0, -1e4 * ica / (2.0 * faraday_C_per_mol * inst.parameters[depth][j]));
    return influx + (inst.parameters[cainf][j] - ca) / inst.parameters[taur][j];
  }

  MechanismInfo info_{"cad", MechanismKind::ion_pool, "Ca pool of the Bahl et al. (2012) tuft",
                      "Bahl A et al. (2012) J Neurosci Methods 210:22-34",
                      {{"depth", "um", 0.1, 1e-3, 10.0, "shell depth"},
                       {"taur", "ms", 200.0, 1e-3, 1e5, "removal time constant"},
                       {"cainf", "mM", 1e-4, 0.0, 1.0, "resting concentration"}},
                      {"cai"}};
};

}  // namespace

void register_cad(MechanismRegistry& registry) { registry.add(std::make_shared<Cad>()); }

}  // namespace apical
