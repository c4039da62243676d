#pragma once
// The learning rules by name ("R0" … "R5"), filled by models' generated registration.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "apical/models/learning/plasticity.hpp"

namespace apical {

class LearningRuleRegistry {
 public:
  void add(std::shared_ptr<const LearningRule> rule);  // throws std::invalid_argument on a duplicate
  [[nodiscard]] std::shared_ptr<const LearningRule> find(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::map<std::string, std::shared_ptr<const LearningRule>> by_name_;
};

void register_all_learning_rules(LearningRuleRegistry& registry);
const LearningRuleRegistry& builtin_learning_rules();

}  // namespace apical
