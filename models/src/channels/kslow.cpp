// kslow — slow K channel of the Bahl et al. (2012) cell (Korngreen & Sakmann 2000).
// I = φ gbar a² (b/2 + b1/2)(V − ek) with φ = 2.3^((T − 21)/10) on the conductance only; the time
// constants are not temperature-scaled.
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct KslowKinetics {
  static MechanismInfo info() {
    return {"kslow", MechanismKind::density_channel, "Slow K channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34; Korngreen A, Sakmann B (2000) J Physiol 525:621",
            {{"gbar", "S/cm2", 0.0, 0.0, 10.0, "peak conductance density at 21 degC"},
             {"ek", "mV", -80.0, -150.0, 50.0, "K reversal"}},
            {"a", "b", "b1"}};
  }
  static constexpr int gates = 3;
  static constexpr bool forward_euler = false;
  struct Constants { double phi; };
  static Constants constants(double celsius) { return {temperature_factor(2.3, celsius, 21.0)}; }
  struct Params { double gbar, ek; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c]}; }
  static void steady(double v, double, const Constants&, const Params&, double* inf, double* rate) {
    const double alpha = 0.0052 * vtrap(v - 11.1, 13.1);
    const double beta = 0.01938 * vexp(-(v + 1.27) / 71.0) - 0.0053;
    inf[0] = alpha / (alpha + beta);
    rate[0] = alpha + beta;
    const double binf = 1.0 / (1.0 + vexp((v + 58.0) / 11.0));
    const double z = (v + 75.0) / 48.0;
    inf[1] = binf;
    rate[1] = 1.0 / (360.0 + (1010.0 + 23.7 * (v + 54.0)) * vexp(-z * z));
    inf[2] = binf;
    rate[2] = 1.0 / (2350.0 + 1380.0 * vexp(-0.01118 * v) - 210.0 * vexp(-0.0306 * v));
  }
  static Current current(double v, const double* x, const Constants& k, const Params& p) {
    const double g = k.phi * p.gbar * x[0] * x[0] * (0.5 * x[1] + 0.5 * x[2]);
    return {g, g * (v - p.ek), 0.0};
  }
};

}  // namespace

void register_kslow(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<KslowKinetics>>()); }

}  // namespace apical
