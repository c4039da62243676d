// pas — passive leak. I = g (V − e).
#include "apical/engine/registry.hpp"
#include "gated_channel.hpp"

namespace apical {
namespace {

struct PasKinetics {
  static MechanismInfo info() {
    return {"pas", MechanismKind::density_channel, "Passive leak: I = g (V - e)", "",
            {{"g", "S/cm2", 0.001, 0.0, 1.0, "leak conductance density"},
             {"e", "mV", -70.0, -150.0, 100.0, "leak reversal potential"}},
            {}};
  }
  static constexpr int gates = 0;
  static constexpr bool forward_euler = false;
  struct Constants {};
  static Constants constants(double) { return {}; }
  struct Params { double g, e; };
  static Params read(const double* const* a, std::size_t c) { return {a[0][c], a[1][c]}; }
  static void steady(double, double, const Constants&, const Params&, double*, double*) {}
  static Current current(double v, const double*, const Constants&, const Params& p) { return {p.g, p.g * (v - p.e), 0.0}; }
};

}  // namespace

void register_pas(MechanismRegistry& registry) { registry.add(std::make_shared<GatedChannel<PasKinetics>>()); }

}  // namespace apical
