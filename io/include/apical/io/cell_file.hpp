#pragma once
// Cell files ("format": "apical-cell", version 1): morphology (sections written by hand, or a
// reconstruction file imported), passive properties and mechanism densities with distance rules, all
// quantities with units. The format is described in docs/scenarios.md.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apical/engine/registry.hpp"
#include "apical/io/input_error.hpp"
#include "apical/models/cell_description.hpp"
#include "apical/models/register_all.hpp"

namespace apical {

inline constexpr long long cell_format_version = 1;

// Reads and validates a cell file; every problem is an InputError naming the file and JSON path (or,
// for a problem inside its morphology file, that file and line). Mechanism names, parameter names,
// units and bounds come from `registry`.
CellDescription load_cell_file(const std::string& path, const MechanismRegistry& registry = builtin_mechanisms());

// The same from a parsed document; `file_label` names it in messages, and a relative morphology file
// is taken from `base_folder` (by load_cell_file: the cell file's folder).
CellDescription read_cell(const nlohmann::json& document, const std::string& file_label,
                          const std::string& base_folder = "", const MechanismRegistry& registry = builtin_mechanisms());

// Copies a (valid) cell file to `destination`. A cell on a morphology file gets that file copied into
// the same folder, and the copy of the cell file names it there, so that the folder reads back on its
// own. Returns the files written.
std::vector<std::string> copy_cell_file(const std::string& path, const std::string& destination);

}  // namespace apical
