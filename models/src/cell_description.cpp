#include "apical/models/cell_description.hpp"

#include <cmath>

namespace apical {

double DistanceRule::at(double d_um) const {
  switch (kind) {
    case Kind::constant: return value;
    case Kind::linear: return v0 + (v1 - v0) * (d_um - d0_um) / (d1_um - d0_um);
    case Kind::exponential: return scale * std::exp(-d_um / length_um);
  }
  return value;
}

int CellDescription::section_index(const std::string& section_name) const {
  for (std::size_t s = 0; s < morphology.sections.size(); ++s)
    if (morphology.sections[s].name == section_name) return static_cast<int>(s);
  return -1;
}

}  // namespace apical
