// R4 — burst-dependent plasticity (burstprop; Payeur et al. 2021): the teaching current at the tuft
// sets the burst fraction, and weights follow bursts against their expected share of events:
//   dW_ij/dt = η·[B_i(t) − P̄_i·E_i(t)]·x̃_j,
// with B and E the burst and event rates and P̄ the running burst fraction (τ ≈ 10 s), a BCM-like
// homeostat (learning_rules.md pitfall 3).
#include <memory>

#include "apical/models/learning/learning_rules.hpp"
#include "rule_parameters.hpp"

namespace apical {
namespace {

class Burstprop final : public LearningRule {
 public:
  [[nodiscard]] const LearningRuleInfo& info() const override { return info_; }
  void update(const std::vector<double>& p, const FrameActivity& a, PlasticityState&, WeightMatrix& W) const override {
    const double eta_dt = p[0] * a.frame_s;
    for (std::size_t i = 0; i < W.neurons; ++i) {
      const double post = a.burst_rate_hz[i] - a.burst_fraction_mean[i] * a.event_rate_hz[i];
      if (post == 0.0) continue;
      for (std::size_t j = 0; j < W.inputs; ++j) W.apply(i, j, eta_dt * post * a.presynaptic_trace[j]);
    }
  }

 private:
  LearningRuleInfo info_{"R4", "Burst-dependent plasticity (burstprop)",
                         "Payeur A et al. (2021) Nat Neurosci 24:1010; Greedy W et al. (2022) NeurIPS 35",
                         {rule_parameters::learning_rate(1e-5),
                          {"burst_fraction_tau", "s", 10.0, 0.1, 1000.0, "time constant of the running burst fraction"}},
                         false, true, false, false};
};

}  // namespace

void register_r4_burstprop(LearningRuleRegistry& registry) { registry.add(std::make_shared<Burstprop>()); }

}  // namespace apical
