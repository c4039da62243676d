// sca — high-voltage-activated Ca channel of the Bahl et al. (2012) tuft (Reuveni et al. 1993), with
// inactivation slowed threefold. V' = V − vshift; I_Ca = φ gbar m²h (V − eca), φ = 2.3^((T − 23)/10)
// on rates and conductance. Its current feeds the cad pool.
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct ScaKinetics {
  static MechanismInfo info() {
    return {"sca", MechanismKind::density_channel, "HVA Ca channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34; Reuveni I et al. (1993) J Neurosci 13:4609",
            {{"gbar", "S/cm2", 0.0, 0.0, 10.0, "peak conductance density at 23 degC"},
             {"eca", "mV", 140.0, -50.0, 300.0, "Ca reversal (fixed)"},
             {"vshift", "mV", 0.0, -50.0, 50.0, "shift of all voltage dependences"}},
            {"m", "h"}};
  }
  static constexpr int gates = 2;
  static constexpr bool forward_euler = false;
  struct Params { double gbar, eca, vshift; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c], a[2][c]}; }
  struct Constants { double phi; };
  static Constants constants(double celsius) { return {temperature_factor(2.3, celsius, 23.0)}; }
  static void steady(double v, double, const Constants& k, const Params& p, double* inf, double* rate) {
    const double vp = v - p.vshift;
    const double am = 0.055 * vtrap(vp + 27.0, 3.8), bm = 0.94 * vexp((-75.0 - vp) / 17.0);
    const double ah = 0.000457 * vexp((-13.0 - vp) / 50.0) / 3.0;
    const double bh = 0.0065 / (vexp((-vp - 15.0) / 28.0) + 1.0) / 3.0;
    const double f = k.phi;
    inf[0] = am / (am + bm); rate[0] = f * (am + bm);
    inf[1] = ah / (ah + bh); rate[1] = f * (ah + bh);
  }
  static Current current(double v, const double* x, const Constants& k, const Params& p) {
    const double g = k.phi * p.gbar * x[0] * x[0] * x[1];
    const double i = g * (v - p.eca);
    return {g, i, i};
  }
};

}  // namespace

void register_sca(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<ScaKinetics>>()); }

}  // namespace apical
