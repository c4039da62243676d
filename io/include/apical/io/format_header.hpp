#pragma once
// Every apical file names its format and version; readers reject other formats and versions.
#include <string>

#include "apical/io/json_reader.hpp"

namespace apical {

void check_format(const JsonObject& top, const std::string& format, long long version);

}  // namespace apical
