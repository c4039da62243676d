#pragma once
#include "apical/engine/registry.hpp"

namespace apical {
// Registers every mechanism apical ships (generated from models/CMakeLists.txt).
void register_all_mechanisms(MechanismRegistry& registry);
// A registry with every shipped mechanism.
const MechanismRegistry& builtin_mechanisms();
}  // namespace apical
