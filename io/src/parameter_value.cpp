#include "parameter_value.hpp"

#include "apical/io/units.hpp"

namespace apical::detail {

void check_parameter_bounds(const JsonValue& where, const MechanismInfo& info, const ParameterSpec& spec,
                            double number) {
  if (number >= spec.min && number <= spec.max) return;
  const std::string unit = spec.unit == "1" ? "" : " " + spec.unit;
  where.fail(format_number(number) + unit + " is out of range for " + info.name + "." + spec.name +
             ": must be between " + format_number(spec.min) + " and " + format_number(spec.max) + unit);
}

double read_parameter_value(const JsonValue& value, const MechanismInfo& info, const ParameterSpec& spec) {
  const double number = value.as_quantity(spec.unit);
  check_parameter_bounds(value, info, spec, number);
  return number;
}

}  // namespace apical::detail
