// R2 — node perturbation / REINFORCE (Williams 1992; Fiete & Seung 2006). The simulation injects an
// Ornstein–Uhlenbeck perturbation ξ_i (at the soma, or at the tuft for R2-apical, exploration_site = 1);
// the rule correlates it with the input and the reward:
//   τ_e de_ij/dt = −e_ij + ξ_i·x̃_j,    dW_ij/dt = η·δ(t)·e_ij.
#include <cmath>
#include <memory>

#include "apical/models/learning/learning_rules.hpp"
#include "rule_parameters.hpp"

namespace apical {
namespace {

class NodePerturbation final : public LearningRule {
 public:
  [[nodiscard]] const LearningRuleInfo& info() const override { return info_; }
  void update(const std::vector<double>& p, const FrameActivity& a, PlasticityState& s, WeightMatrix& W) const override {
    const double eta = p[0], decay = std::exp(-a.frame_s / p[1]);
    const double delta = a.reward_prediction_error;
    for (std::size_t i = 0; i < W.neurons; ++i)
      for (std::size_t j = 0; j < W.inputs; ++j) {
        double& e = s.eligibility[i * W.inputs + j];
        e = relax(e, a.perturbation[i] * a.presynaptic_trace[j], decay);
        if (delta != 0.0) W.apply(i, j, eta * delta * e);
      }
  }

 private:
  LearningRuleInfo info_{"R2", "Node perturbation (REINFORCE); exploration_site = 1 gives R2-apical",
                         "Williams RJ (1992) Mach Learn 8:229; Fiete IR, Seung HS (2006) Phys Rev Lett 97:048104",
                         // Matching (learning_rules.md §3): per-trial weight-update RMS, sqrt(mean over connected synapses of
                         // (W_day1_end - W_init)^2 / trials), on 16-neuron fields of view (5+5+6), four 5-min days,
                         // teaching gain 10 pA, kappa_delta 1 s (tests/unit/bci/test_bci_predictions.cpp), 6-10 mice: R3 (4e-4) 1.1e-2.
                         // R2 (no apical feedback, perturbation_sd 40 pA): eta 1e-5: 2.7e-4, 1e-4: 2.2e-3, 5e-4: 4.0e-3, 1.5e-3:
                         // 4.6e-3 (one update per trial, clip-bound; before: 1e-5, untuned). At 1.5e-3 over 20 min it does not
                         // learn (hit rate 0.31 -> 0.29; P+ +0.08, P- +0.14, P0 +0.12 Hz: diffusion, 10 mice).
                         {rule_parameters::learning_rate(1.5e-3), rule_parameters::tau_eligibility(),
                          {"perturbation_sd", "pA", 40.0, 0.0, 1e4, "SD of the OU perturbation current xi"},
                          {"perturbation_tau", "s", 0.075, 0.005, 5.0, "correlation time of xi (50-100 ms)"},
                          {"exploration_site", "1", 0.0, 0.0, 1.0, "0: soma, 1: apical tuft (R2-apical)"}},
                         true, false, true, false};
};

}  // namespace

void register_r2_node_perturbation(LearningRuleRegistry& registry) { registry.add(std::make_shared<NodePerturbation>()); }

}  // namespace apical
