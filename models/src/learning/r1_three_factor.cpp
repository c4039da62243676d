// R1 — scalar three-factor, reward-modulated Hebbian rule (Frémaux & Gerstner 2016; Legenstein et al.
// 2010), with the Ca-gated variant R1-Ca (ca_gated = 1):
//   τ_e de_ij/dt = −e_ij + (r_i − r̄_i)·x̃_j·[Ca_i],    dW_ij/dt = η·δ(t)·e_ij,
// δ = R − R̄ broadcast as a neuromodulator and delivered as an impulse at the outcome frame.
#include <cmath>
#include <memory>

#include "apical/models/learning/learning_rules.hpp"
#include "rule_parameters.hpp"

namespace apical {
namespace {

class ThreeFactor final : public LearningRule {
 public:
  [[nodiscard]] const LearningRuleInfo& info() const override { return info_; }
  void update(const std::vector<double>& p, const FrameActivity& a, PlasticityState& s, WeightMatrix& W) const override {
    const double eta = p[0], decay = std::exp(-a.frame_s / p[1]);
    const bool gated = p[2] > 0.5;
    const double delta = a.reward_prediction_error;
    for (std::size_t i = 0; i < W.neurons; ++i) {
      const double post = (a.rate_hz[i] - a.rate_mean_hz[i]) * (gated ? a.ca_gate[i] : 1.0);
      for (std::size_t j = 0; j < W.inputs; ++j) {
        double& e = s.eligibility[i * W.inputs + j];
        e = relax(e, post * a.presynaptic_trace[j], decay);
        if (delta != 0.0) W.apply(i, j, eta * delta * e);
      }
    }
  }

 private:
  LearningRuleInfo info_{"R1", "Scalar three-factor (reward-modulated Hebbian) rule; ca_gated = 1 gives R1-Ca",
                         "Fremaux N, Gerstner W (2016) Front Neural Circuits 9:85; Legenstein R et al. (2010) J Neurosci 30:8400",
                         // Matching (learning_rules.md §3): per-trial weight-update RMS, sqrt(mean over connected synapses of
                         // (W_day1_end - W_init)^2 / trials), on 16-neuron fields of view (5+5+6), four 5-min days,
                         // teaching gain 10 pA, kappa_delta 1 s (tests/unit/bci/test_bci_predictions.cpp), 6-10 mice: R3 (4e-4) 1.1e-2.
                         // R1 (no apical feedback) updates once per trial (the delta impulse at the outcome frame), so the
                         // per-update clip (0.005 pA/Hz) bounds it: eta 1e-6: 4.3e-6, 1e-5: 4.3e-5, 2.5e-3: 3.8e-3, 1e-2: 4.6e-3
                         // (clip-bound; before: 1e-6, untuned). At 1e-2 over 20 min: hit rate 0.26 -> 0.30, P+ +0.09 Hz,
                         // P- -0.19 Hz (10 mice): slow, as section 5 predicts.
                         {rule_parameters::learning_rate(1e-2), rule_parameters::tau_eligibility(), rule_parameters::ca_gated()},
                         true, false, false, false};
};

}  // namespace

void register_r1_three_factor(LearningRuleRegistry& registry) { registry.add(std::make_shared<ThreeFactor>()); }

}  // namespace apical
