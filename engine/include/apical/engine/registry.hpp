#pragma once
// Mechanisms by name. Filled explicitly by models' generated register_all_mechanisms().
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "apical/engine/mechanism.hpp"

namespace apical {

class MechanismRegistry {
 public:
  // Throws std::invalid_argument if the name is taken.
  void add(std::shared_ptr<const Mechanism> mechanism);
  // nullptr if unknown.
  [[nodiscard]] std::shared_ptr<const Mechanism> find(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::map<std::string, std::shared_ptr<const Mechanism>> by_name_;
};

}  // namespace apical
