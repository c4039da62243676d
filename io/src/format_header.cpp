#include "apical/io/format_header.hpp"

namespace apical {

void check_format(const JsonObject& top, const std::string& format, long long version) {
  const JsonValue f = top.required("format");
  const std::string given = f.as_string();
  if (given != format)
    f.fail("this reader expects \"" + format + "\" files, got \"" + given + "\"");
  const JsonValue v = top.required("format_version");
  if (!v.raw().is_number_integer()) v.fail("expected an integer, got " + describe_json(v.raw()));
  if (v.raw().get<long long>() != version)
    v.fail("unsupported version " + v.raw().dump() + "; this apical reads " + format + " version " +
           std::to_string(version));
}

}  // namespace apical
