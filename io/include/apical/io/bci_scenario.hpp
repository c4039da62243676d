#pragma once
// BCI cohort scenarios ("format": "apical-scenario", version 1, "kind": "bci_cohort"): a cohort of
// virtual mice in the in-silico experiment of Francioni et al. 2026, lowered to a bci::ExperimentSpec
// and the cohort's size. Every key is optional and takes the ExperimentSpec default; unknown keys,
// wrong types, wrong units and out-of-range values are InputErrors naming the file and JSON path.
// The format is described in docs/scenarios.md.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apical/io/input_error.hpp"
#include "apical/models/bci/cohort.hpp"
#include "apical/models/bci/experiment_spec.hpp"

namespace apical {

struct BciScenario {
  std::string name;          // "name" in the file, else the file name without extension
  std::string description;
  std::string file;          // the scenario file as given
  bci::ExperimentSpec spec;  // validated
  std::size_t mice = 6;      // cohort size
  std::uint64_t first_mouse = 0;
};

// Reads and validates a bci_cohort scenario file.
BciScenario load_bci_scenario(const std::string& path);

// The same from a parsed document.
BciScenario read_bci_scenario(const nlohmann::json& document, const std::string& file_label);

// The complete scenario with every key written out: defaults filled in, quantities in the unit the
// spec stores them in (so they read back exactly), the rule's parameters all listed. Reading it gives
// a spec identical, field by field, to `scenario.spec` (and the same cohort, name and description).
nlohmann::json resolved_bci_scenario(const BciScenario& scenario);

// One key of the format, for listings and the reference in docs/scenarios.md.
struct BciScenarioKey {
  std::string path;           // dotted, from the top level: "teaching.reward_tau"
  std::string unit;           // "1" for a plain number; "" for a string, boolean, integer or object
  std::string type;           // "quantity", "number", "integer", "boolean", "choice", "object"
  std::string default_value;  // as written in a file: "0.2 s", "oracle", "true", "6"
  std::string meaning;        // including the choices of a "choice"
};

// Every key of a bci_cohort scenario below the header (format, format_version, kind, name,
// description), in file order; `learning.parameters` is one entry (its keys depend on the rule).
std::vector<BciScenarioKey> bci_scenario_keys();

// The "kind" of a scenario document ("single_cell" when absent, for files written before kinds).
// Throws InputError if "kind" is present but not a string.
std::string scenario_kind(const nlohmann::json& document, const std::string& file_label);

}  // namespace apical
