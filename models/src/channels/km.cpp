// km — muscarinic (M-type) K channel of the Bahl et al. (2012) soma. I = gbar m (V − ek);
// τ_peak = 1000 ms / 2.3^((T − 36)/10). Integrated by forward Euler as in the original model.
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct KmKinetics {
  static MechanismInfo info() {
    return {"km", MechanismKind::density_channel, "M-type K channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34",
            {{"gbar", "S/cm2", 0.0, 0.0, 10.0, "peak conductance density"},
             {"ek", "mV", -80.0, -150.0, 50.0, "K reversal"}},
            {"m"}};
  }
  static constexpr int gates = 1;
  static constexpr bool forward_euler = true;
  struct Constants { double tau_peak; };
  static Constants constants(double celsius) { return {1000.0 / temperature_factor(2.3, celsius, 36.0)}; }
  struct Params { double gbar, ek; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c]}; }
  static void steady(double v, double, const Constants& k, const Params&, double* inf, double* rate) {
    const double tau_peak = k.tau_peak;
    inf[0] = 1.0 / (1.0 + vexp(-(v + 35.0) / 10.0));
    rate[0] = (3.3 * vexp((v + 35.0) / 20.0) + vexp(-(v + 35.0) / 20.0)) / tau_peak;
  }
  static Current current(double v, const double* x, const Constants&, const Params& p) {
    const double g = p.gbar * x[0];
    return {g, g * (v - p.ek), 0.0};
  }
};

}  // namespace

void register_km(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<KmKinetics>>()); }

}  // namespace apical
