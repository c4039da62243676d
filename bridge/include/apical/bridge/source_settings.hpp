#pragma once
// The parameters of a frame source, declared once per source: name, kind, unit, default and bounds.
// The declarations drive the strict reading of the rig JSON (unknown keys, missing required keys,
// values out of bounds are errors naming the JSON path) and the listings in the docs.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apical/io/json_reader.hpp"

namespace apical::bridge {

struct SourceParameter {
  enum class Kind {
    integer,   // a whole number within [min, max]
    quantity,  // "number unit" converted to `unit` ("1": a bare number), within [min, max]
    flag,      // true / false
    text,      // a non-empty string
    choice,    // one of `choices`
  };
  std::string name;                  // as written in the rig JSON
  Kind kind = Kind::integer;
  std::string unit = "1";            // quantity only: the unit values are converted to
  double min = 0, max = 0;           // integer and quantity: inclusive bounds
  std::vector<std::string> choices;  // choice only
  nlohmann::json default_value;      // as it would be written in JSON; null = required
  std::string description;
};

// Resolved values, every declared parameter present (defaults filled in).
class SourceSettings {
 public:
  // Reads `config` (an object holding "type" plus the declared parameters) strictly against `declared`.
  SourceSettings(const JsonValue& config, const std::vector<SourceParameter>& declared);

  [[nodiscard]] double number(const std::string& name) const;       // integer, quantity and flag (0/1)
  [[nodiscard]] long long integer(const std::string& name) const;
  [[nodiscard]] bool flag(const std::string& name) const;
  [[nodiscard]] const std::string& text(const std::string& name) const;  // text and choice
  // For checks across parameters: an InputError at the parameter's JSON path.
  [[noreturn]] void fail(const std::string& name, const std::string& detail) const;

 private:
  std::string file_, pointer_;
  std::map<std::string, double> numbers_;
  std::map<std::string, std::string> texts_;
};

}  // namespace apical::bridge
