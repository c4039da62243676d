#pragma once
// Sites written as "section(x)" (or "section", meaning its centre) in cell and scenario files.
#include <string>
#include <vector>

#include "apical/engine/morphology.hpp"
#include "apical/io/json_reader.hpp"

namespace apical::detail {

// Reads a site against the given section names (index = section index). With `require_x` the
// position must be written out, as for a parent attachment where no default is obvious.
Site read_site(const JsonValue& value, const std::vector<std::string>& section_names, bool require_x = false);

}  // namespace apical::detail
