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
  struct Constants {};
  static Constants constants(double) { return {}; }
  struct Params { double gbar, ena; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c]}; }
  static void steady(double v, double, const Constants&, const Params&, double* inf, double* rate) {
    inf[0] = 1.0 / (1.0 + vexp((-v - 48.0) / 10.0));
    const double below = 0.025 + 0.14 * vexp((v + 40.0) / 10.0), above = 0.02 + 0.145 * vexp((-v - 40.0) / 10.0);
    rate[0] = 1.0 / (v < -40.0 ? below : above);
  }
  static Current current(double v, const double* x, const Constants&, const Params& p) {
    const double g = p.gbar * x[0];
    return {g, g * (v - p.ena), 0.0};
  }
};

}  // namespace

void register_nap(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<NapKinetics>>()); }

}  // namespace apical
