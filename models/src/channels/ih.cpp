// ih — hyperpolarisation-activated cation channel (HCN1/2) of the Bahl et al. (2012) cell, after
// Kole et al. (2006). I = gbar q (V − ehd); no temperature factor.
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct IhKinetics {
  static MechanismInfo info() {
    return {"ih", MechanismKind::density_channel, "HCN (h) channel (Bahl et al. 2012)",
            "Bahl A et al. (2012) J Neurosci Methods 210:22-34; Kole MHP et al. (2006) J Neurosci 26:1677",
            {{"gbar", "S/cm2", 0.0, 0.0, 10.0, "peak conductance density"},
             {"ehd", "mV", -47.0, -150.0, 100.0, "h reversal"}},
            {"q"}};
  }
  static constexpr int gates = 1;
  static constexpr bool forward_euler = false;
  struct Constants {};
  static Constants constants(double) { return {}; }
  struct Params { double gbar, ehd; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c]}; }
  static void steady(double v, double, const Constants&, const Params&, double* inf, double* rate) {
    // α = 0.00643 (V + 154.9)/(e^((V + 154.9)/11.9) − 1) = 0.00643·vtrap(−(V + 154.9), 11.9)
    const double alpha = 0.00643 * vtrap(-(v + 154.9), 11.9);
    const double beta = 0.193 * vexp(v / 33.1);
    inf[0] = alpha / (alpha + beta);
    rate[0] = alpha + beta;
  }
  static Current current(double v, const double* x, const Constants&, const Params& p) {
    const double g = p.gbar * x[0];
    return {g, g * (v - p.ehd), 0.0};
  }
};

}  // namespace

void register_ih(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<IhKinetics>>()); }

}  // namespace apical
