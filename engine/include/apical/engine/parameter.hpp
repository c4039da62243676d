#pragma once
// Declared once per mechanism parameter; drives validation, listings and docs.
#include <string>
#include <vector>

namespace apical {

struct ParameterSpec {
  std::string name;          // as written in files, e.g. "gbar"
  std::string unit;          // canonical unit, e.g. "S/cm2"
  double default_value = 0;
  double min = 0;            // inclusive bounds
  double max = 0;
  std::string description;
};

enum class MechanismKind { density_channel, ion_pool, point_process };

struct MechanismInfo {
  std::string name;
  MechanismKind kind = MechanismKind::density_channel;
  std::string description;
  std::string citation;
  std::vector<ParameterSpec> parameters;
  std::vector<std::string> states;
  bool uses_events = false;  // driven by spike-time lists

  // Index of a parameter by name, or -1.
  [[nodiscard]] int parameter_index(const std::string& parameter) const {
    for (std::size_t i = 0; i < parameters.size(); ++i)
      if (parameters[i].name == parameter) return static_cast<int>(i);
    return -1;
  }
};

}  // namespace apical
