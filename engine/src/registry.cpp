#include "apical/engine/registry.hpp"

#include <stdexcept>

namespace apical {

void MechanismRegistry::add(std::shared_ptr<const Mechanism> mechanism) {
  const std::string name = mechanism->info().name;
  if (!by_name_.emplace(name, std::move(mechanism)).second)
    throw std::invalid_argument("mechanism '" + name + "' is registered twice");
}

std::shared_ptr<const Mechanism> MechanismRegistry::find(const std::string& name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::string> MechanismRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, mechanism] : by_name_) out.push_back(name);
  return out;
}

}  // namespace apical
