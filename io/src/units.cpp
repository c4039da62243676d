#include "apical/io/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <numeric>

#include "apical/io/suggest.hpp"

namespace apical {
namespace {

enum class Dimension {
  time, voltage, current, conductance, length, concentration, conductance_density,
  specific_capacitance, resistivity, temperature, frequency, capacitance, synaptic_weight,
  concentration_rate, fluorescence, angle, spatial_frequency, dimensionless
};

struct DimensionInfo {
  Dimension dimension;
  const char* name;
  const char* example;
};

constexpr std::array<DimensionInfo, 18> dimensions{{
    {Dimension::time, "time", "100 ms"},
    {Dimension::voltage, "voltage", "-65 mV"},
    {Dimension::current, "current", "0.5 nA"},
    {Dimension::conductance, "conductance", "15 nS"},
    {Dimension::length, "length", "20 um"},
    {Dimension::concentration, "concentration", "0.1 mM"},
    {Dimension::conductance_density, "conductance density", "0.001 S/cm2"},
    {Dimension::specific_capacitance, "specific capacitance", "1 uF/cm2"},
    {Dimension::resistivity, "axial resistivity", "100 ohm cm"},
    {Dimension::temperature, "temperature", "37 degC"},
    {Dimension::frequency, "frequency", "100 Hz"},
    {Dimension::capacitance, "capacitance", "370 pF"},
    {Dimension::synaptic_weight, "synaptic weight (current per presynaptic rate)", "1 pA/Hz"},
    {Dimension::concentration_rate, "rate of concentration change", "2000 nM/ms"},
    {Dimension::fluorescence, "fluorescence in arbitrary units", "100 a.u."},
    {Dimension::angle, "angle", "90 deg"},
    {Dimension::spatial_frequency, "spatial frequency", "0.04 cycles/deg"},
    {Dimension::dimensionless, "dimensionless number", "0.5"},
}};

// A unit is its dimension and the factor that takes it to the dimension's canonical unit: a power of
// ten, times numerator/denominator for the few non-decimal units (1 min = 60·10^3 ms).
struct UnitInfo {
  const char* symbol;
  Dimension dimension;
  int exponent;
  long long numerator = 1;
  long long denominator = 1;
};

constexpr std::array<UnitInfo, 61> units{{
    {"s", Dimension::time, 3}, {"ms", Dimension::time, 0}, {"us", Dimension::time, -3},
    {"min", Dimension::time, 3, 60}, {"h", Dimension::time, 3, 3600},
    {"V", Dimension::voltage, 3}, {"mV", Dimension::voltage, 0}, {"uV", Dimension::voltage, -3},
    {"A", Dimension::current, 9}, {"mA", Dimension::current, 6}, {"uA", Dimension::current, 3},
    {"nA", Dimension::current, 0}, {"pA", Dimension::current, -3},
    {"S", Dimension::conductance, 6}, {"mS", Dimension::conductance, 3}, {"uS", Dimension::conductance, 0},
    {"nS", Dimension::conductance, -3}, {"pS", Dimension::conductance, -6},
    {"m", Dimension::length, 6}, {"cm", Dimension::length, 4}, {"mm", Dimension::length, 3},
    {"um", Dimension::length, 0}, {"nm", Dimension::length, -3},
    {"M", Dimension::concentration, 3}, {"mM", Dimension::concentration, 0},
    {"uM", Dimension::concentration, -3}, {"nM", Dimension::concentration, -6},
    // 1 pS/um2 = 1e-12 S / 1e-8 cm2 = 1e-4 S/cm2; 1 S/m2 = 1e-4 S/cm2.
    {"S/cm2", Dimension::conductance_density, 0}, {"mS/cm2", Dimension::conductance_density, -3},
    {"uS/cm2", Dimension::conductance_density, -6}, {"pS/um2", Dimension::conductance_density, -4},
    {"S/m2", Dimension::conductance_density, -4},
    {"F/cm2", Dimension::specific_capacitance, 6}, {"mF/cm2", Dimension::specific_capacitance, 3},
    {"uF/cm2", Dimension::specific_capacitance, 0}, {"F/m2", Dimension::specific_capacitance, 2},
    {"ohm cm", Dimension::resistivity, 0}, {"ohm m", Dimension::resistivity, 2},
    {"kohm cm", Dimension::resistivity, 3},
    {"degC", Dimension::temperature, 0},
    {"Hz", Dimension::frequency, 0}, {"kHz", Dimension::frequency, 3},
    {"1/s", Dimension::frequency, 0}, {"1/min", Dimension::frequency, 0, 1, 60},
    {"F", Dimension::capacitance, 12}, {"uF", Dimension::capacitance, 6}, {"nF", Dimension::capacitance, 3},
    {"pF", Dimension::capacitance, 0},
    {"pA/Hz", Dimension::synaptic_weight, 0}, {"nA/Hz", Dimension::synaptic_weight, 3},
    // 1 M/s = 10^3 mM / 10^3 ms = 1 mM/ms.
    {"mM/ms", Dimension::concentration_rate, 0}, {"uM/ms", Dimension::concentration_rate, -3},
    {"nM/ms", Dimension::concentration_rate, -6}, {"mM/s", Dimension::concentration_rate, -3},
    {"uM/s", Dimension::concentration_rate, -6}, {"nM/s", Dimension::concentration_rate, -9},
    {"a.u.", Dimension::fluorescence, 0},
    {"deg", Dimension::angle, 0},
    {"cycles/deg", Dimension::spatial_frequency, 0},
    {"1", Dimension::dimensionless, 0}, {"", Dimension::dimensionless, 0},
}};

const UnitInfo* find_unit(const std::string& symbol) {
  for (const UnitInfo& u : units)
    if (symbol == u.symbol) return &u;
  return nullptr;
}

const UnitInfo& require_unit(const std::string& symbol) {
  const UnitInfo* u = find_unit(symbol);
  if (!u) throw std::logic_error("apical: '" + symbol + "' is not a unit in the table");
  return *u;
}

const DimensionInfo& info_of(Dimension d) {
  for (const DimensionInfo& i : dimensions)
    if (i.dimension == d) return i;
  return dimensions.back();
}

std::vector<std::string> symbols_of(Dimension d) {
  std::vector<std::string> out;
  for (const UnitInfo& u : units)
    if (u.dimension == d && *u.symbol) out.emplace_back(u.symbol);
  return out;
}

// Accepts the micro sign, Greek mu, the ohm sign and "ohm*cm" as spellings of the ASCII forms.
std::string normalise(std::string unit) {
  const std::array<std::pair<std::string, std::string>, 5> replacements{{
      {"\xC2\xB5", "u"}, {"\xCE\xBC", "u"}, {"\xCE\xA9", "ohm"}, {"\xE2\x84\xA6", "ohm"}, {"ohm*", "ohm "}}};
  for (const auto& [from, to] : replacements)
    for (std::size_t at = unit.find(from); at != std::string::npos; at = unit.find(from, at + to.size()))
      unit.replace(at, from.size(), to);
  return unit;
}

double scale_by_power_of_ten(double value, int exponent) {
  // Powers of ten up to 1e22 are exact doubles, so one operation rounds correctly.
  const double p = std::pow(10.0, std::abs(exponent));
  return exponent >= 0 ? value * p : value / p;
}

// value in `from` expressed in `to` (same dimension). The factor is the exact fraction
// (n_from·d_to·10^e)/(d_from·n_to) with the power of ten on the side where it is positive; when one side
// is 1 the conversion is a single correctly rounded multiplication or division.
double convert(double value, const UnitInfo& from, const UnitInfo& to) {
  long long numerator = from.numerator * to.denominator;
  long long denominator = from.denominator * to.numerator;
  const long long common = std::gcd(numerator, denominator);
  numerator /= common;
  denominator /= common;
  const int exponent = from.exponent - to.exponent;
  if (numerator == 1 && denominator == 1) return scale_by_power_of_ten(value, exponent);
  const double n = static_cast<double>(numerator) * (exponent > 0 ? std::pow(10.0, exponent) : 1.0);
  const double d = static_cast<double>(denominator) * (exponent < 0 ? std::pow(10.0, -exponent) : 1.0);
  if (d == 1.0) return value * n;
  if (n == 1.0) return value / d;
  return value * n / d;
}

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

}  // namespace

double parse_quantity(const std::string& text, const std::string& target_unit) {
  const UnitInfo& target = require_unit(target_unit);
  const DimensionInfo& want = info_of(target.dimension);
  const std::string how = std::string("write a ") + want.name + " such as \"" + want.example + "\"";
  const std::string s = trim(text);
  const char* first = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
  double value = 0;
  const auto [rest, error] = std::from_chars(first, s.data() + s.size(), value);
  if (error != std::errc() || !std::isfinite(value))
    throw QuantityError("cannot read a number at the start of \"" + text + "\"; " + how);
  const std::string unit = normalise(trim(std::string(rest, s.data() + s.size())));
  if (unit.empty() && target.dimension != Dimension::dimensionless)
    throw QuantityError("\"" + text + "\" has no unit; " + how);
  const UnitInfo* given = find_unit(unit);
  if (!given) {
    const std::string near = nearest_candidate(unit, symbols_of(target.dimension));
    std::string list;
    for (const std::string& u : symbols_of(target.dimension)) list += (list.empty() ? "" : ", ") + u;
    throw QuantityError("unknown unit '" + unit + "' in \"" + text + "\"" +
                        (near.empty() ? "" : "; did you mean '" + near + "'?") + "; " + want.name +
                        " units: " + list);
  }
  if (given->dimension != target.dimension)
    throw QuantityError("\"" + text + "\" is a " + info_of(given->dimension).name + ", not a " + want.name +
                        "; " + how);
  return convert(value, *given, target);
}

bool is_known_unit(const std::string& unit) { return find_unit(unit) != nullptr; }

std::string dimension_name(const std::string& unit) { return info_of(require_unit(unit).dimension).name; }

std::string quantity_example(const std::string& unit) { return info_of(require_unit(unit).dimension).example; }

std::vector<std::string> units_like(const std::string& unit) { return symbols_of(require_unit(unit).dimension); }

std::string format_number(double value) {
  // Shortest round-trip digits; plain decimals for everyday magnitudes, exponents outside them.
  std::array<char, 64> buffer{};
  const double magnitude = std::abs(value);
  const auto format = magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e15) ? std::chars_format::scientific
                                                                                  : std::chars_format::fixed;
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format);
  return error == std::errc() ? std::string(buffer.data(), end) : std::string("?");
}

}  // namespace apical
