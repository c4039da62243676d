#include "site_text.hpp"

#include <algorithm>
#include <charconv>

#include "apical/io/suggest.hpp"

namespace apical::detail {

Site read_site(const JsonValue& value, const std::vector<std::string>& section_names, bool require_x) {
  const std::string text = value.as_name();
  const std::string form = " (write section(x) with x in [0, 1], e.g. \"soma(0.5)\")";
  const auto open = text.find('(');
  const std::string name = text.substr(0, open);
  const auto it = std::find(section_names.begin(), section_names.end(), name);
  if (name.empty()) value.fail("site \"" + text + "\" has no section name" + form);
  if (it == section_names.end())
    value.fail("no section named '" + name + "'" + suggestion_suffix(name, section_names));
  const int section = static_cast<int>(it - section_names.begin());
  if (open == std::string::npos) {
    if (require_x) value.fail("site \"" + text + "\" needs a position" + form);
    return Site{section, 0.5};
  }
  if (text.back() != ')' || text.find(')') != text.size() - 1) value.fail("malformed site \"" + text + "\"" + form);
  const std::string number = text.substr(open + 1, text.size() - open - 2);
  double x = -1;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), x);
  if (error != std::errc() || end != number.data() + number.size() || !(x >= 0.0 && x <= 1.0))
    value.fail("malformed site \"" + text + "\"" + form);
  return Site{section, x};
}

}  // namespace apical::detail
