#include <algorithm>
#include <stdexcept>

#include "apical/models/learning/learning_rules.hpp"

namespace apical {

void WeightMatrix::apply(std::size_t i, std::size_t j, double delta) {
  const double limit = clip_fraction * w_max;
  double& value = w[i * inputs + j];
  value = std::clamp(value + std::clamp(delta, -limit, limit), 0.0, w_max);
}

void LearningRuleRegistry::add(std::shared_ptr<const LearningRule> rule) {
  const std::string name = rule->info().name;
  if (!by_name_.emplace(name, std::move(rule)).second)
    throw std::invalid_argument("learning rule '" + name + "' is registered twice");
}

std::shared_ptr<const LearningRule> LearningRuleRegistry::find(const std::string& name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::string> LearningRuleRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, rule] : by_name_) out.push_back(name);
  return out;
}

}  // namespace apical
