// hh — Hodgkin & Huxley (1952) squid axon channels as in NEURON's built-in hh (benchmark B1).
// I = gnabar m³h (V − ena) + gkbar n⁴ (V − ek) + gl (V − el); rates × 3^((T − 6.3)/10).
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

// NEURON's hh vtrap: x/(e^(x/y) − 1), replaced by y(1 − x/(2y)) near 0.
inline double hh_vtrap(double x, double y) {
  if (std::abs(x / y) < 1e-6) return y * (1.0 - x / y / 2.0);
  return x / (std::exp(x / y) - 1.0);
}

struct HhKinetics {
  static MechanismInfo info() {
    return {"hh", MechanismKind::density_channel, "Hodgkin-Huxley Na, K and leak (NEURON's hh)",
            "Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544",
            {{"gnabar", "S/cm2", 0.12, 0.0, 10.0, "peak Na conductance density"},
             {"gkbar", "S/cm2", 0.036, 0.0, 10.0, "peak K conductance density"},
             {"gl", "S/cm2", 0.0003, 0.0, 1.0, "leak conductance density"},
             {"el", "mV", -54.3, -150.0, 100.0, "leak reversal"},
             {"ena", "mV", 50.0, -50.0, 200.0, "Na reversal"},
             {"ek", "mV", -77.0, -150.0, 50.0, "K reversal"}},
            {"m", "h", "n"}};
  }
  static constexpr int gates = 3;
  static constexpr bool forward_euler = false;
  struct Params { double gnabar, gkbar, gl, el, ena, ek; };
  static Params read(const ParamArrays& a, std::size_t j) {
    return {a[0][j], a[1][j], a[2][j], a[3][j], a[4][j], a[5][j]};
  }
  static void steady(double v, double, double celsius, const Params&, double* inf, double* tau) {
    const double q = temperature_factor(3.0, celsius, 6.3);
    const double am = 0.1 * hh_vtrap(-(v + 40.0), 10.0), bm = 4.0 * std::exp(-(v + 65.0) / 18.0);
    const double ah = 0.07 * std::exp(-(v + 65.0) / 20.0), bh = 1.0 / (std::exp(-(v + 35.0) / 10.0) + 1.0);
    const double an = 0.01 * hh_vtrap(-(v + 55.0), 10.0), bn = 0.125 * std::exp(-(v + 65.0) / 80.0);
    inf[0] = am / (am + bm); tau[0] = 1.0 / (q * (am + bm));
    inf[1] = ah / (ah + bh); tau[1] = 1.0 / (q * (ah + bh));
    inf[2] = an / (an + bn); tau[2] = 1.0 / (q * (an + bn));
  }
  static Current current(double v, const double* x, double, const Params& p) {
    const double gna = p.gnabar * x[0] * x[0] * x[0] * x[1];
    const double gk = p.gkbar * x[2] * x[2] * x[2] * x[2];
    return {gna + gk + p.gl, gna * (v - p.ena) + gk * (v - p.ek) + p.gl * (v - p.el), 0.0};
  }
};

}  // namespace

void register_hh(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<HhKinetics>>()); }

}  // namespace apical
