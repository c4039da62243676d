// hh — Hodgkin & Huxley (1952) squid axon channels as in NEURON's built-in hh (benchmark B1).
// I = gnabar m³h (V − ena) + gkbar n⁴ (V − ek) + gl (V − el); rates × 3^((T − 6.3)/10).
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

// NEURON's hh vtrap: x/(e^(x/y) − 1), replaced by y(1 − x/(2y)) near 0; exp_x_over_y = e^(x/y).
inline double hh_vtrap(double x, double y, double exp_x_over_y) {
  const double series = y * (1.0 - x / y / 2.0), direct = x / (exp_x_over_y - 1.0);
  return std::abs(x / y) < 1e-6 ? series : direct;
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
  struct Constants { double q; };
  static Constants constants(double celsius) { return {temperature_factor(3.0, celsius, 6.3)}; }
  struct Params { double gnabar, gkbar, gl, el, ena, ek; };
  static Params read(const double* const* a, std::size_t c) {
    return {a[0][c], a[1][c], a[2][c], a[3][c], a[4][c], a[5][c]};
  }
  static void steady(double v, double, const Constants& k, const Params&, double* inf, double* rate) {
    // Three rates share e^(−(V+40)/10) and two share powers of e^(−(V+65)/80): 3 exponentials, not 6.
    const double e40 = vexp(-(v + 40.0) / 10.0), e65 = vexp(-(v + 65.0) / 80.0);
    const double e65_2 = e65 * e65;
    const double am = 0.1 * hh_vtrap(-(v + 40.0), 10.0, e40), bm = 4.0 * vexp(-(v + 65.0) / 18.0);
    const double ah = 0.07 * e65_2 * e65_2, bh = 1.0 / (e40 * 1.6487212707001282 + 1.0);  // e^0.5
    const double an = 0.01 * hh_vtrap(-(v + 55.0), 10.0, e40 * 0.22313016014842982), bn = 0.125 * e65;  // e^-1.5
    const double q = k.q;
    inf[0] = am / (am + bm); rate[0] = q * (am + bm);
    inf[1] = ah / (ah + bh); rate[1] = q * (ah + bh);
    inf[2] = an / (an + bn); rate[2] = q * (an + bn);
  }
  static Current current(double v, const double* x, const Constants&, const Params& p) {
    const double gna = p.gnabar * x[0] * x[0] * x[0] * x[1];
    const double gk = p.gkbar * x[2] * x[2] * x[2] * x[2];
    return {gna + gk + p.gl, gna * (v - p.ena) + gk * (v - p.ek) + p.gl * (v - p.el), 0.0};
  }
};

}  // namespace

void register_hh(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<HhKinetics>>()); }

}  // namespace apical
