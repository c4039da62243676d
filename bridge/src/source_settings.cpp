#include "apical/bridge/source_settings.hpp"

#include <stdexcept>

namespace apical::bridge {

SourceSettings::SourceSettings(const JsonValue& config, const std::vector<SourceParameter>& declared)
    : file_(config.file()), pointer_(config.pointer()) {
  std::vector<std::string> keys{"type"};
  for (const SourceParameter& p : declared) keys.push_back(p.name);
  const JsonObject object(config, keys);
  for (const SourceParameter& p : declared) {
    const std::optional<JsonValue> given = object.optional(p.name);
    if (!given && p.default_value.is_null())
      config.fail("missing required key '" + p.name + "' (" + p.description + ")");
    // A default is read through the same path as a written value, so it obeys the same bounds.
    const JsonValue value = given ? *given : JsonValue(p.default_value, config.file(), pointer_append(config.pointer(), p.name));
    switch (p.kind) {
      case SourceParameter::Kind::integer:
        numbers_[p.name] = double(value.as_integer(static_cast<long long>(p.min), static_cast<long long>(p.max)));
        break;
      case SourceParameter::Kind::quantity: numbers_[p.name] = value.as_quantity(p.unit, p.min, p.max); break;
      case SourceParameter::Kind::flag: numbers_[p.name] = value.as_bool() ? 1.0 : 0.0; break;
      case SourceParameter::Kind::text: texts_[p.name] = value.as_name(); break;
      case SourceParameter::Kind::choice: texts_[p.name] = value.as_choice(p.choices); break;
    }
  }
}

void SourceSettings::fail(const std::string& name, const std::string& detail) const {
  throw InputError(file_, pointer_append(pointer_, name), detail);
}

double SourceSettings::number(const std::string& name) const {
  const auto it = numbers_.find(name);
  if (it == numbers_.end()) throw std::logic_error("frame source parameter '" + name + "' is not a declared number");
  return it->second;
}

long long SourceSettings::integer(const std::string& name) const { return static_cast<long long>(number(name)); }

bool SourceSettings::flag(const std::string& name) const { return number(name) != 0.0; }

const std::string& SourceSettings::text(const std::string& name) const {
  const auto it = texts_.find(name);
  if (it == texts_.end()) throw std::logic_error("frame source parameter '" + name + "' is not a declared text");
  return it->second;
}

}  // namespace apical::bridge
