#include "apical/io/nwb/session_info.hpp"

namespace apical::nwb {

const char* population_name(Population population) {
  switch (population) {
    case Population::plus:
      return "P+";
    case Population::minus:
      return "P-";
    case Population::zero:
      break;
  }
  return "P0";
}

const char* source_name(RoiSource source) { return source == RoiSource::simulated ? "simulated" : "imaged"; }

}  // namespace apical::nwb
