#pragma once
// Parameter declarations shared by several rules, so each is declared once with its unit and bounds.
#include "apical/engine/parameter.hpp"

namespace apical::rule_parameters {

inline ParameterSpec learning_rate(double default_value) {
  return {"learning_rate", "1", default_value, 0.0, 1e6, "eta: scales every weight change"};
}
inline ParameterSpec tau_eligibility() {
  return {"tau_eligibility", "s", 2.0, 0.05, 60.0,
          "eligibility time constant; must outlast the 1-s hit-to-reward delay (learning_rules.md pitfall 4)"};
}
inline ParameterSpec ca_gated() {
  return {"ca_gated", "1", 0.0, 0.0, 1.0, "1: multiply the plasticity term by the apical Ca gate (the -Ca variants)"};
}

}  // namespace apical::rule_parameters
