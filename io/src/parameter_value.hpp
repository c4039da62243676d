#pragma once
// Values of declared mechanism parameters: converted to the declared unit, checked against its bounds.
#include "apical/engine/parameter.hpp"
#include "apical/io/json_reader.hpp"

namespace apical::detail {

double read_parameter_value(const JsonValue& value, const MechanismInfo& info, const ParameterSpec& spec);

// Fails at `where` unless `number` (already in spec.unit) lies within the declared bounds.
void check_parameter_bounds(const JsonValue& where, const MechanismInfo& info, const ParameterSpec& spec,
                            double number);

}  // namespace apical::detail
