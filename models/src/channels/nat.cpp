// nat — transient Na channel of the Bahl et al. (2012) L5 cell (Mainen et al. 1994 kinetics with the
// thresholds of Kole et al. 2006). V' = V − vshift − vshift2; I = φ gbar m³h (V − ena),
// φ = 2.3^((T − 23)/10) on both the rates and the conductance.
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

// The model's rate helper a·(v − th)/(1 − e^(−(v − th)/q)). Its original guard tests |v/th| rather than
// |v − th|; we keep that guard (it decides a few rates within 10⁻⁴ mV of V' = 0, as NEURON does) and add
// the true limit a·q at v = th.
inline double nat_trap(double v, double th, double a, double q) {
  const double x = v - th;
  const double direct = a * x / (1.0 - vexp(-x / q));
  return std::abs(v / th) <= 1e-6 || std::abs(x / q) < 1e-12 ? a * q : direct;
}

struct NatKinetics {
  static MechanismInfo info() {
    return {"nat", MechanismKind::density_channel, "Transient Na channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34; Mainen ZF et al. (1995) Neuron 15:1427",
            {{"gbar", "S/cm2", 0.0, 0.0, 10.0, "peak conductance density at 23 degC"},
             {"vshift", "mV", 0.0, -50.0, 50.0, "shift of all voltage dependences"},
             {"vshift2", "mV", 0.0, -50.0, 50.0, "additional shift (axon initial segment)"},
             {"ena", "mV", 55.0, -50.0, 200.0, "Na reversal"}},
            {"m", "h"}};
  }
  static constexpr int gates = 2;
  static constexpr bool forward_euler = false;
  struct Params { double gbar, vshift, vshift2, ena; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c], a[2][c], a[3][c]}; }
  struct Constants { double phi; };
  static Constants constants(double celsius) { return {temperature_factor(2.3, celsius, 23.0)}; }
  static void steady(double v, double, const Constants& k, const Params& p, double* inf, double* rate) {
    const double vp = v - p.vshift - p.vshift2;
    const double am = nat_trap(vp, -28.0, 0.182, 9.0), bm = nat_trap(-vp, 28.0, 0.124, 9.0);
    const double ah = nat_trap(vp, -50.0, 0.024, 5.0), bh = nat_trap(-vp, 75.0, 0.0091, 5.0);
    const double f = k.phi;
    inf[0] = am / (am + bm); rate[0] = f * (am + bm);
    inf[1] = 1.0 / (1.0 + vexp((vp + 55.0) / 6.2)); rate[1] = f * (ah + bh);
  }
  static Current current(double v, const double* x, const Constants& k, const Params& p) {
    const double g = k.phi * p.gbar * x[0] * x[0] * x[0] * x[1];
    return {g, g * (v - p.ena), 0.0};
  }
};

}  // namespace

void register_nat(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<NatKinetics>>()); }

}  // namespace apical
