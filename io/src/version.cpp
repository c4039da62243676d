#include "apical/io/version.hpp"

namespace apical {
std::string apical_version() { return APICAL_VERSION; }
}  // namespace apical
