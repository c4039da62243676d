#pragma once
// Cell files ("format": "apical-cell", version 1): morphology, passive properties and mechanism
// densities with distance rules, all quantities with units. The format is described in docs/scenarios.md.
#include <nlohmann/json.hpp>
#include <string>

#include "apical/engine/registry.hpp"
#include "apical/io/input_error.hpp"
#include "apical/models/cell_description.hpp"
#include "apical/models/register_all.hpp"

namespace apical {

inline constexpr long long cell_format_version = 1;

// Reads and validates a cell file; every problem is an InputError naming the file and JSON path.
// Mechanism names, parameter names, units and bounds come from `registry`.
CellDescription load_cell_file(const std::string& path, const MechanismRegistry& registry = builtin_mechanisms());

// The same from a parsed document; `file_label` names it in messages.
CellDescription read_cell(const nlohmann::json& document, const std::string& file_label,
                          const MechanismRegistry& registry = builtin_mechanisms());

}  // namespace apical
