// R4 — burst-dependent plasticity (burstprop; Payeur et al. 2021): the teaching current at the tuft
// sets the burst fraction, and weights follow bursts against their expected share of events:
//   dW_ij/dt = η·[B_i(t) − P̄_i·E_i(t) − c·(B_b,i(t) − P̄_i·E_b,i(t))]·x̃_j,
// with B and E the burst and event rates, P̄ the running burst fraction (τ ≈ 10 s), a BCM-like
// homeostat (learning_rules.md pitfall 3), and, with cancellation c = 1 (default), B_b and E_b the
// bursts and events of the basal-only twin (same input, no teaching): the cancelled term is the part of
// B − P̄E that the teaching made. Why: in these cells bursts come mostly from the dendritic background,
// so the uncancelled term anticorrelates with x̃ and swamps the teaching (numbers below).
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
    const double cancel = p[2] > 0.5 ? 1.0 : 0.0;
    for (std::size_t i = 0; i < W.neurons; ++i) {
      const double P = a.burst_fraction_mean[i];
      const double basal = a.basal_burst_rate_hz[i] - P * a.basal_event_rate_hz[i];
      const double post = a.burst_rate_hz[i] - P * a.event_rate_hz[i] - cancel * basal;
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
                         // Uncancelled (c = 0): eta 1e-4: 3.1e-3 (kappa_epsilon 0), 3e-4: 1.1e-2 (matched), 1e-3: 0.11 (every rate
                         // collapses). Uncancelled R4 does not learn the task here: at 3e-4, hit rate 0.37 -> 0.43 and every role
                         // depresses (P+ -0.58, P- -0.63, P0 -0.57 Hz, 10 mice), with burst_fraction_tau 2 s or 60 s as well.
                         // Probable cause: bursts come mostly from the dendritic background, so the burst fraction falls
                         // with basal drive, B - P_bar*E anticorrelates with x, and the 10-pA teaching's burst modulation is
                         // too small to outweigh it. Measured (same setting, 10 mice): the depression does not come from the
                         // teaching - with feedback zero R4 gives the same dP (-0.61, -0.66, -0.57 Hz); at 4x the teaching
                         // gain (40 pA, cf. the spec's "apical gain 4") still dP+ -0.67 ~ dP- -0.59 (every trial a hit
                         // acutely). The burst fraction is ~0.16 (B 0.8 Hz, E 5.3 Hz per neuron on day 1; the spec's rate
                         // form assumes p0 = 0.5), and under R0 with the oracle teaching the day-1 B of P+ and P- differ by
                         // 0.01 Hz. Tuning the uncancelled rule does not fix it (burst_fraction_tau, eta and gain do not help).
                         // Outside the rule: with the dendritic background SD halved (I_d_sd 75 pA instead of 150) the
                         // depression mostly goes (dP -0.11, -0.08, -0.01 Hz) but R4 still does not learn (hit rate
                         // 0.44 -> 0.42; burst fraction 0.065): the teaching's burst modulation stays below the noise.
                         // Cancelled (c = 1, since this version), same setting, 10 mice: eta 3e-4: RMS 6.2e-3, hit rate
                         // 0.50 -> 0.67, dP+ +1.68, dP- -0.99 Hz; 5e-4: 8.6e-3, 0.55 -> 0.76; 7e-4: 1.00e-2 (matched to R3),
                         // 0.49 -> 0.79, dP+ +2.66, dP- -1.65, dP0 +0.06 Hz; 1e-3: 0.52 -> 0.81. With feedback zero the
                         // cancelled term is exactly 0 (tests/unit/bci/test_bci_rules.cpp).
                         {rule_parameters::learning_rate(7e-4),
                          {"burst_fraction_tau", "s", 10.0, 0.1, 1000.0, "time constant of the running burst fraction"},
                          {"cancellation", "1", 1.0, 0.0, 1.0, "1: subtract the basal-only twin's B - P*E (teaching-free part)"}},
                         false, true, false, false};
};

}  // namespace

void register_r4_burstprop(LearningRuleRegistry& registry) { registry.add(std::make_shared<Burstprop>()); }

}  // namespace apical
