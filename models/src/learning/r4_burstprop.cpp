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
                         // Matching (learning_rules.md §3): per-trial weight-update RMS, sqrt(mean over connected synapses of
                         // (W_day1_end - W_init)^2 / trials), on 16-neuron fields of view (5+5+6), four 5-min days,
                         // teaching gain 10 pA, kappa_delta 1 s (tests/unit/bci/test_bci_predictions.cpp), 6-10 mice: R3 (4e-4) 1.1e-2.
                         // R4: eta 1e-4: 3.1e-3 (kappa_epsilon 0), 3e-4: 1.1e-2 (matched; before: 1e-5, untuned), 1e-3: 0.11 (every rate
                         // collapses). R4 does not learn the task here: at 3e-4, hit rate 0.37 -> 0.43 and every role
                         // depresses (P+ -0.58, P- -0.63, P0 -0.57 Hz, 10 mice), with burst_fraction_tau 2 s or 60 s as well.
                         // Probable cause: bursts come mostly from the dendritic background, so the burst fraction falls
                         // with basal drive, B - P_bar*E anticorrelates with x, and the 10-pA teaching's burst modulation is
                         // too small to outweigh it. Measured (same setting, 10 mice): the depression does not come from the
                         // teaching - with feedback zero R4 gives the same dP (-0.61, -0.66, -0.57 Hz); at 4x the teaching
                         // gain (40 pA, cf. the spec's "apical gain 4") still dP+ -0.67 ~ dP- -0.59 (every trial a hit
                         // acutely). The burst fraction is ~0.16 (B 0.8 Hz, E 5.3 Hz per neuron on day 1; the spec's rate
                         // form assumes p0 = 0.5), and under R0 with the oracle teaching the day-1 B of P+ and P- differ by
                         // 0.01 Hz. No fix within the rule was found (burst_fraction_tau, eta and gain do not change it).
                         // Outside the rule: with the dendritic background SD halved (I_d_sd 75 pA instead of 150) the
                         // depression mostly goes (dP -0.11, -0.08, -0.01 Hz) but R4 still does not learn (hit rate
                         // 0.44 -> 0.42; burst fraction 0.065): the teaching's burst modulation stays below the noise.
                         {rule_parameters::learning_rate(3e-4),
                          {"burst_fraction_tau", "s", 10.0, 0.1, 1000.0, "time constant of the running burst fraction"}},
                         false, true, false, false};
};

}  // namespace

void register_r4_burstprop(LearningRuleRegistry& registry) { registry.add(std::make_shared<Burstprop>()); }

}  // namespace apical
