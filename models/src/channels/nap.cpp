// nap — persistent Na channel of the Bahl et al. (2012) soma (Traub et al. 2003 kinetics).
// I = gbar m (V − ena); no temperature factor.
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct NapKinetics {
  static MechanismInfo info() {
    return {"nap", MechanismKind::density_channel, "Persistent Na channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34; Traub RD et al. (2003) J Neurophysiol 89:909",
            {{"gbar", "S/cm2", 0.0, 0.0, 10.0, "peak conductance density"},
             {"ena", "mV", 55.0, -50.0, 200.0, "Na reversal"}},
            {"m"}};
  }
  static constexpr int gates = 1;
  static constexpr bool forward_euler = false;
  struct Params { double gbar, ena; };
  static Params read(const ParamArrays& a, std::size_t j) { return {a[0][j], a[1][j]}; }
  static void steady(double v, double, double, const Params&, double* inf, double* tau) {
    inf[0] = 1.0 / (1.0 + std::exp((-v - 48.0) / 10.0));
    tau[0] = v < -40.0 ? 0.025 + 0.14 * std::exp((v + 40.0) / 10.0) : 0.02 + 0.145 * std::exp((-v - 40.0) / 10.0);
  }
  static Current current(double v, const double* x, double, const Params& p) {
    const double g = p.gbar * x[0];
    return {g, g * (v - p.ena), 0.0};
  }
};

}  // namespace

void register_nap(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<NapKinetics>>()); }

}  // namespace apical
