#pragma once
// Parameter specs and bounds checks generated from a model's visit_fields() (private to apical_models).
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "apical/engine/parameter.hpp"

namespace apical::detail {

template <class Parameters>
std::vector<ParameterSpec> specs_from_fields() {
  Parameters defaults{};
  std::vector<ParameterSpec> specs;
  visit_fields(defaults, [&](const char* name, const char* unit, auto& field, double min, double max,
                             const char* description) {
    specs.push_back({name, unit, static_cast<double>(field), min, max, description});
  });
  return specs;
}

// Throws std::invalid_argument naming the model and the field.
template <class Parameters>
void check_fields(const Parameters& p, const char* model) {
  visit_fields(p, [&](const char* name, const char* unit, const auto& field, double min, double max, const char*) {
    const double value = static_cast<double>(field);
    if (!std::isfinite(value) || value < min || value > max) {
      std::ostringstream message;
      message << model << ": parameter '" << name << "' = " << value << " " << unit << " lies outside [" << min
              << ", " << max << "] " << unit;
      throw std::invalid_argument(message.str());
    }
  });
}

}  // namespace apical::detail
