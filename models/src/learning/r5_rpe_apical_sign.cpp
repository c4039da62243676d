// R5 — attention-gated hybrid (AGREL, Roelfsema & van Ooyen 2005): a scalar reward-prediction error
// and a per-neuron apical sign are both required:
//   τ_e de_ij/dt = −e_ij + (r_i − r̄_i)·x̃_j,    dW_ij/dt = η·δ(t)·g_i·e_ij,
// with g_i the neuron's burst fraction minus its running mean (its apical drive).
#include <cmath>
#include <memory>

#include "apical/models/learning/learning_rules.hpp"
#include "rule_parameters.hpp"

namespace apical {
namespace {

class RpeApicalSign final : public LearningRule {
 public:
  [[nodiscard]] const LearningRuleInfo& info() const override { return info_; }
  void update(const std::vector<double>& p, const FrameActivity& a, PlasticityState& s, WeightMatrix& W) const override {
    const double eta = p[0], decay = std::exp(-a.frame_s / p[1]);
    const double delta = a.reward_prediction_error;
    for (std::size_t i = 0; i < W.neurons; ++i) {
      const double post = a.rate_hz[i] - a.rate_mean_hz[i];
      for (std::size_t j = 0; j < W.inputs; ++j) {
        double& e = s.eligibility[i * W.inputs + j];
        e = relax(e, post * a.presynaptic_trace[j], decay);
        if (delta != 0.0) W.apply(i, j, eta * delta * a.apical_sign[i] * e);
      }
    }
  }

 private:
  LearningRuleInfo info_{"R5", "Reward-prediction error times apical sign (attention-gated reinforcement)",
                         "Roelfsema PR, van Ooyen A (2005) Neural Comput 17:2176",
                         // Matching (learning_rules.md §3): per-trial weight-update RMS, sqrt(mean over connected synapses of
                         // (W_day1_end - W_init)^2 / trials), on 16-neuron fields of view (5+5+6), four 5-min days,
                         // teaching gain 10 pA, kappa_delta 1 s (tests/unit/bci/test_bci_predictions.cpp), 6-10 mice: R3 (4e-4) 1.1e-2.
                         // R5 updates once per trial (the delta impulse) and is clip-bound: eta 1e-4: 1.7e-4, 5e-3: 1.9e-3,
                         // 1e-2: 2.3e-3, 5e-2: 2.8e-3 (before: 1e-4, untuned). It does not learn the task (1e-2: hit rate
                         // 0.47 -> 0.39, P+ +0.01, P- +0.06 Hz, 10 mice): with a centred eligibility and a centred apical
                         // sign, a P- neuron quiet before a reward (e < 0) under negative teaching (g < 0) potentiates,
                         // and g is read at the delta frame, before the reward-driven teaching reaches the tuft.
                         {rule_parameters::learning_rate(1e-2), rule_parameters::tau_eligibility()},
                         true, true, false, false};
};

}  // namespace

void register_r5_rpe_apical_sign(LearningRuleRegistry& registry) { registry.add(std::make_shared<RpeApicalSign>()); }

}  // namespace apical
