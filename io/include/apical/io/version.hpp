#pragma once
#include <string>

namespace apical {
// The project version from CMake (PROJECT_VERSION), written into every result file.
std::string apical_version();
}  // namespace apical
