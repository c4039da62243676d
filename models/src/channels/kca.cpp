// kca — voltage-independent Ca-activated K channel of the Bahl et al. (2012) tuft (Reuveni et al.
// 1993). α = 0.01·[Ca]_i (mM), β = 0.02; I = φ gbar n (V − ek), φ = 2.3^((T − 23)/10).
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct KcaKinetics {
  static MechanismInfo info() {
    return {"kca", MechanismKind::density_channel, "Ca-activated K channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34; Reuveni I et al. (1993) J Neurosci 13:4609",
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
  static void steady(double, double cai, const Constants& k, const Params&, double* inf, double* rate) {
    const double a = 0.01 * cai, b = 0.02;
    inf[0] = a / (a + b);
    rate[0] = k.phi * (a + b);
  }
  static Current current(double v, const double* x, const Constants& k, const Params& p) {
    const double g = k.phi * p.gbar * x[0];
    return {g, g * (v - p.ek), 0.0};
  }
};

}  // namespace

void register_kca(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<KcaKinetics>>()); }

}  // namespace apical
