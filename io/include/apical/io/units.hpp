#pragma once
// Physical quantities at the file boundary: JSON strings "number unit" such as "0.4 nA", "-65 mV",
// "236 pS/um2". They are lowered once, here, to the doubles in canonical units used everywhere else:
// mV, ms, nA, uS, um, ohm cm, uF/cm2, S/cm2, mM, degC, Hz, pF, pA/Hz, mM/ms, a.u., deg, cycles/deg and "1"
// (dimensionless). A reader may also ask for any other unit of the table (e.g. "min", "nS", "s").
#include <stdexcept>
#include <string>
#include <vector>

namespace apical {

// A quantity string that cannot be read in the requested unit. The reader adds file and path.
class QuantityError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Parses "number unit" and converts it to `target_unit` (any unit the table knows, normally a
// canonical one). Decimal prefixes are applied as one multiplication or division by an exact power of
// ten, so "15 nS" gives exactly the double nearest 0.015 uS; the non-decimal units (min, h, 1/min) by
// one multiplication or division by an exact integer where possible ("2 min" is exactly 120000 ms).
// A value in the target unit itself comes back unchanged. Throws QuantityError for a wrong dimension,
// an unknown unit, a missing unit or a malformed number.
double parse_quantity(const std::string& text, const std::string& target_unit);

// True if `unit` is in the table (e.g. "ms", "pS/um2", "1").
bool is_known_unit(const std::string& unit);

// For error messages and listings: "time", and an example such as "100 ms".
std::string dimension_name(const std::string& unit);
std::string quantity_example(const std::string& unit);
// Every accepted unit of the same dimension, e.g. {"s", "ms", "us"}.
std::vector<std::string> units_like(const std::string& unit);

// Shortest decimal text that reads back as the same double ("0.1", "1e-05").
std::string format_number(double value);

}  // namespace apical
