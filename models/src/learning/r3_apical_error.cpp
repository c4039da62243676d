// R3 — apical vectorized error by dendritic prediction (Körding & König 2001; Urbanczik & Senn 2014;
// Sacramento et al. 2018), rate form: the teaching current Bfb_i·T(t) at the tuft moves the somatic
// rate away from what the basal input alone predicts, and the difference drives plasticity:
//   dW_ij/dt = η·[r_i − r_basal,i]·x̃_j·[Ca_i]       (ca_gated = 1: R3-Ca)
// The feedback weights (oracle / random / learned / zero) belong to the teaching channel, not here.
#include <memory>

#include "apical/models/learning/learning_rules.hpp"
#include "rule_parameters.hpp"

namespace apical {
namespace {

class ApicalError final : public LearningRule {
 public:
  [[nodiscard]] const LearningRuleInfo& info() const override { return info_; }
  void update(const std::vector<double>& p, const FrameActivity& a, PlasticityState&, WeightMatrix& W) const override {
    const double eta_dt = p[0] * a.frame_s;
    const bool gated = p[1] > 0.5;
    for (std::size_t i = 0; i < W.neurons; ++i) {
      const double error = (a.rate_hz[i] - a.basal_rate_hz[i]) * (gated ? a.ca_gate[i] : 1.0);
      if (error == 0.0) continue;
      for (std::size_t j = 0; j < W.inputs; ++j) W.apply(i, j, eta_dt * error * a.presynaptic_trace[j]);
    }
  }

 private:
  LearningRuleInfo info_{"R3", "Apical vectorized error (dendritic prediction); ca_gated = 1 gives R3-Ca",
                         "Urbanczik R, Senn W (2014) Neuron 81:521; Sacramento J et al. (2018) NeurIPS 31",
                         // η tuned on the in-silico BCI experiment (models/bci): R3-oracle learns within a few 30-min days, and
                         // the largest single-frame updates reach the default clip of 0.005 pA/Hz.
                         {rule_parameters::learning_rate(4e-4), rule_parameters::ca_gated()},
                         false, true, false, false};
};

}  // namespace

void register_r3_apical_error(LearningRuleRegistry& registry) { registry.add(std::make_shared<ApicalError>()); }

}  // namespace apical
