#include "apical/engine/mechanism.hpp"

#include <limits>

namespace apical {

double Mechanism::next_discontinuity(const MechanismInstances&, const MechanismState&, double) const {
  return std::numeric_limits<double>::infinity();
}

}  // namespace apical
