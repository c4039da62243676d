#pragma once
// Number formatting for the command-line tables.
#include <cmath>
#include <cstdio>
#include <string>

namespace apical::cli {

inline std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

inline std::string significant(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
}

// "-" for an undefined value, whole numbers without decimals, otherwise 4 significant digits.
inline std::string table_value(double value) {
  if (!std::isfinite(value)) return "-";
  if (value == std::round(value) && std::abs(value) < 1e9) return fixed(value, 0);
  return significant(value, 4);
}

// "0.41 ± 0.03", or "0.41" when the spread is undefined, or "-".
inline std::string mean_pm(double mean, double sem) {
  if (!std::isfinite(mean)) return "-";
  return std::isfinite(sem) ? table_value(mean) + " ± " + table_value(sem) : table_value(mean);
}

// The same with a fixed number of decimals: "0.41 ± 0.03".
inline std::string mean_pm_fixed(double mean, double sem, int decimals) {
  if (!std::isfinite(mean)) return "-";
  return std::isfinite(sem) ? fixed(mean, decimals) + " ± " + fixed(sem, decimals) : fixed(mean, decimals);
}

}  // namespace apical::cli
