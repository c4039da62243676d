// kfast — fast delayed-rectifier K channel (Kv) of the Bahl et al. (2012) cell, after Mainen et al.
// (1995). I = φ gbar n (V − ek), φ = 2.3^((T − 23)/10) on rates and conductance.
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct KfastKinetics {
  static MechanismInfo info() {
    return {"kfast", MechanismKind::density_channel, "Fast K channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34; Mainen ZF et al. (1995) Neuron 15:1427",
            {{"gbar", "S/cm2", 0.0, 0.0, 10.0, "peak conductance density at 23 degC"},
             {"ek", "mV", -80.0, -150.0, 50.0, "K reversal"}},
            {"n"}};
  }
  static constexpr int gates = 1;
  static constexpr bool forward_euler = false;
  struct Params { double gbar, ek; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c]}; }
  struct Constants { double phi; };
  static Constants constants(double celsius) { return {temperature_factor(2.3, celsius, 23.0)}; }
  static void steady(double v, double, const Constants& k, const Params&, double* inf, double* rate) {
    const double a = 0.02 * vtrap(v - 25.0, 9.0), b = 0.002 * vtrap(-(v - 25.0), 9.0);
    inf[0] = a / (a + b);
    rate[0] = k.phi * (a + b);
  }
  static Current current(double v, const double* x, const Constants& k, const Params& p) {
    const double g = k.phi * p.gbar * x[0];
    return {g, g * (v - p.ek), 0.0};
  }
};

}  // namespace

void register_kfast(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<KfastKinetics>>()); }

}  // namespace apical
