// R0 — no plasticity: the control in which W stays at its initial values.
#include <memory>

#include "apical/models/learning/learning_rules.hpp"

namespace apical {
namespace {

class NoPlasticity final : public LearningRule {
 public:
  [[nodiscard]] const LearningRuleInfo& info() const override { return info_; }
  void update(const std::vector<double>&, const FrameActivity&, PlasticityState&, WeightMatrix&) const override {}

 private:
  LearningRuleInfo info_{"R0", "No plasticity (control)", "", {}, false, false, false, false};
};

}  // namespace

void register_r0_none(LearningRuleRegistry& registry) { registry.add(std::make_shared<NoPlasticity>()); }

}  // namespace apical
