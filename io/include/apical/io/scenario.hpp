#pragma once
// Scenario files ("format": "apical-scenario", version 1, "kind": "single_cell"): a cell file, the
// simulation settings, stimuli (shared and per condition), recordings and spike detection, lowered to
// an apical::ProtocolSpec. The format is described in docs/scenarios.md.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "apical/engine/registry.hpp"
#include "apical/io/input_error.hpp"
#include "apical/models/protocol.hpp"
#include "apical/models/register_all.hpp"

namespace apical {

inline constexpr long long scenario_format_version = 1;

struct Scenario {
  std::string name;         // "name" in the file, else the file name without extension
  std::string description;
  std::string file;         // the scenario file as given
  std::string cell_file;    // the cell file, resolved against the scenario file's folder
  ProtocolSpec protocol;    // one batch cell per condition
  std::vector<std::optional<double>> first_stimulus_ms;  // [condition] earliest stimulus onset, if any
};

// Reads and validates a scenario and the cell it names, and checks that the model builds. Every
// problem is an InputError naming the file and JSON path.
Scenario load_scenario(const std::string& path, const MechanismRegistry& registry = builtin_mechanisms());

// The same from a parsed document; relative cell paths are resolved against `base_folder`.
Scenario read_scenario(const nlohmann::json& document, const std::string& file_label, const std::string& base_folder,
                       const MechanismRegistry& registry = builtin_mechanisms());

// Unit of a recorded variable: "mV" for "v", "mM" for "cai".
std::string recording_unit(const std::string& variable);

}  // namespace apical
