#pragma once
// Cell files on a reconstruction (docs/scenarios.md): the "morphology" block that imports an SWC or
// Neurolucida file in place of hand-written "sections", and mechanisms placed by neurite type.
#include <string>
#include <vector>

#include "apical/io/json_reader.hpp"
#include "apical/models/cell_description.hpp"

namespace apical::detail {

// Neurite types as cell files spell them: "soma", "axon", "basal_dendrite", "apical_dendrite".
extern const std::vector<std::string> neurite_keys;

// {"file", "Ra", "cm", "neurites", "d_lambda", "d_lambda_frequency"}: the reconstruction imported
// (its own problems keep their file:line messages) with R_a and c_m, optionally per neurite type, and
// d-lambda segment counts. A relative file is taken from `base_folder`.
CellDescription read_cell_morphology(const JsonValue& value, const std::string& base_folder);

// The file a "morphology" block names, resolved against `base_folder`; fails at `file` when it is missing.
std::string resolve_morphology_file(const JsonValue& file, const std::string& base_folder);

// The sections of the neurite type `name` names (an imported cell); fails at `name` for an unknown
// type (with a suggestion) or one the morphology does not have.
std::vector<int> sections_of_neurite(const JsonValue& name, const CellDescription& cell);

}  // namespace apical::detail
