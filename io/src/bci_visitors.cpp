#include "bci_visitors.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

#include "apical/io/suggest.hpp"
#include "apical/io/units.hpp"
#include "apical/models/learning/learning_rules.hpp"

namespace apical::detail {
namespace {

using nlohmann::json;

// The fields a section body declares, without reading anything.
class KeyCollector final : public BciFieldVisitor {
 public:
  std::vector<BciField> fields;
  void real(const BciField& f, double&) override { fields.push_back(f); }
  void count(const BciField& f, std::size_t&) override { fields.push_back(f); }
  void integer(const BciField& f, int&) override { fields.push_back(f); }
  void seed(const BciField& f, std::uint64_t&) override { fields.push_back(f); }
  void flag(const BciField& f, bool&) override { fields.push_back(f); }
  void choice(const BciField& f, std::string&, const std::vector<std::string>&) override { fields.push_back(f); }
  void section(const BciField& f, const Body&) override { fields.push_back(f); }
  void rule_parameters(const BciField& f, bci::LearningSpec&) override { fields.push_back(f); }
};

const json& empty_object() {
  static const json empty = json::object();
  return empty;
}

long long bound_or(double bound, long long fallback) {
  if (!std::isfinite(bound)) return fallback;
  return static_cast<long long>(bound);
}

std::string range_text(double min, double max, const std::string& unit) {
  const std::string u = unit == "1" ? "" : " " + unit;
  return "must be between " + format_number(min) + " and " + format_number(max) + u;
}

}  // namespace

json quantity_json(double value, const std::string& unit) {
  if (unit == "1") return value;
  return format_number(value) + " " + unit;
}

// ---------------------------------------------------------------------------------------- reading

BciJsonReader::BciJsonReader(const json* value, const JsonValue& where, std::string member_path, Pointers& pointers,
                             const std::vector<std::string>& extra_keys)
    : value_(value), where_(where), member_path_(std::move(member_path)), pointers_(pointers),
      extra_keys_(extra_keys) {
  if (value_ && !value_->is_object()) where_.fail("expected an object, got " + describe_json(*value_));
}

void BciJsonReader::check_keys(const Body& body) const {
  if (!value_) return;
  KeyCollector declared;
  body(declared);
  std::vector<std::string> allowed = extra_keys_;
  for (const BciField& f : declared.fields) allowed.emplace_back(f.key);
  for (const auto& [key, member] : value_->items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string pointer = pointer_append(where_.pointer(), key);
    // The struct member's name ("session_min") for the key ("session"): the unit belongs in the value.
    for (const BciField& f : declared.fields)
      if (key == f.member) {
        const std::string number = member.is_number() ? format_number(member.get<double>()) : "1";
        throw InputError(where_.file(), pointer,
                         "unknown key '" + key + "'; did you mean '" + f.key + "'? The unit goes into the value: \"" +
                             f.key + "\": \"" + number + " " + f.unit + "\"");
      }
    throw InputError(where_.file(), pointer, "unknown key '" + key + "'" + suggestion_suffix(key, allowed));
  }
}

std::optional<JsonValue> BciJsonReader::find(const BciField& field) {
  const std::string pointer = pointer_append(where_.pointer(), field.key);
  pointers_[member_path_ + field.member] = pointer;
  if (!value_) return std::nullopt;
  const auto it = value_->find(field.key);
  if (it == value_->end()) return std::nullopt;
  return JsonValue(*it, where_.file(), pointer);
}

void BciJsonReader::real(const BciField& field, double& value) {
  const auto v = find(field);
  if (!v) return;
  if (std::isfinite(field.min) || std::isfinite(field.max))
    value = v->as_quantity(field.unit, field.min, field.max);
  else
    value = v->as_quantity(field.unit);
}

void BciJsonReader::count(const BciField& field, std::size_t& value) {
  const auto v = find(field);
  if (!v) return;
  constexpr long long largest = 1LL << 53;  // counts beyond this are not exact in a JSON number anyway
  value = static_cast<std::size_t>(
      v->as_integer(std::max(0LL, bound_or(field.min, 0)), std::min(largest, bound_or(field.max, largest))));
}

void BciJsonReader::integer(const BciField& field, int& value) {
  const auto v = find(field);
  if (!v) return;
  value = static_cast<int>(
      v->as_integer(std::max<long long>(INT_MIN, bound_or(field.min, INT_MIN)),
                    std::min<long long>(INT_MAX, bound_or(field.max, INT_MAX))));
}

void BciJsonReader::seed(const BciField& field, std::uint64_t& value) {
  const auto v = find(field);
  if (!v) return;
  const json& raw = v->raw();
  if (raw.is_number_unsigned() || (raw.is_number_integer() && raw.get<long long>() >= 0)) {
    value = raw.get<std::uint64_t>();
  } else if (raw.is_number_integer()) {
    v->fail(raw.dump() + " is out of range: must be between 0 and 18446744073709551615");
  } else {
    v->fail("expected an integer between 0 and 18446744073709551615, got " + describe_json(raw));
  }
}

void BciJsonReader::flag(const BciField& field, bool& value) {
  if (const auto v = find(field)) value = v->as_bool();
}

void BciJsonReader::choice(const BciField& field, std::string& value, const std::vector<std::string>& names) {
  if (const auto v = find(field)) value = v->as_choice(names);
}

void BciJsonReader::section(const BciField& field, const Body& body) {
  const auto v = find(field);
  const json* child = v ? &v->raw() : nullptr;
  const JsonValue where = v ? *v : JsonValue(empty_object(), where_.file(), pointer_append(where_.pointer(), field.key));
  BciJsonReader reader(child, where, member_path_ + field.member + ".", pointers_);
  reader.check_keys(body);
  body(reader);
}

void BciJsonReader::rule_parameters(const BciField& field, bci::LearningSpec& learning) {
  const auto rule = builtin_learning_rules().find(learning.rule);
  if (!rule) where_.fail("unknown learning rule '" + learning.rule + "'");  // the rule is read first
  const LearningRuleInfo& info = rule->info();
  std::map<std::string, double> values;
  for (const ParameterSpec& p : info.parameters) values[p.name] = p.default_value;
  const auto v = find(field);
  if (v) {
    if (!v->raw().is_object()) v->fail("expected an object of parameter values, got " + describe_json(v->raw()));
    std::vector<std::string> names;
    for (const ParameterSpec& p : info.parameters) names.push_back(p.name);
    for (const auto& [key, member] : v->raw().items())
      if (std::find(names.begin(), names.end(), key) == names.end())
        throw InputError(v->file(), pointer_append(v->pointer(), key),
                         "rule " + info.name + " has no parameter '" + key + "'" +
                             (names.empty() ? " (it has none)" : suggestion_suffix(key, names)));
    for (const ParameterSpec& p : info.parameters) {
      const auto it = v->raw().find(p.name);
      if (it == v->raw().end()) continue;
      const JsonValue value(*it, v->file(), pointer_append(v->pointer(), p.name));
      const double number = value.as_quantity(p.unit);
      if (!(number >= p.min && number <= p.max))
        value.fail(format_number(number) + (p.unit == "1" ? "" : " " + p.unit) + " is out of range for " + info.name +
                   "." + p.name + ": " + range_text(p.min, p.max, p.unit));
      values[p.name] = number;
    }
  }
  // Every parameter, defaults filled in, so that the spec says exactly what runs.
  learning.parameters = std::move(values);
}

// ---------------------------------------------------------------------------------------- writing

void BciJsonWriter::real(const BciField& field, double& value) { out_[field.key] = quantity_json(value, field.unit); }
void BciJsonWriter::count(const BciField& field, std::size_t& value) { out_[field.key] = value; }
void BciJsonWriter::integer(const BciField& field, int& value) { out_[field.key] = value; }
void BciJsonWriter::seed(const BciField& field, std::uint64_t& value) { out_[field.key] = value; }
void BciJsonWriter::flag(const BciField& field, bool& value) { out_[field.key] = value; }
void BciJsonWriter::choice(const BciField& field, std::string& value, const std::vector<std::string>&) {
  out_[field.key] = value;
}
void BciJsonWriter::section(const BciField& field, const Body& body) {
  json child = json::object();
  BciJsonWriter writer(child);
  body(writer);
  out_[field.key] = std::move(child);
}
void BciJsonWriter::rule_parameters(const BciField& field, bci::LearningSpec& learning) {
  const auto rule = builtin_learning_rules().find(learning.rule);
  if (!rule) throw std::invalid_argument("apical: unknown learning rule '" + learning.rule + "'");
  const std::vector<double> values = bci::resolve_rule_parameters(learning);
  const auto& specs = rule->info().parameters;
  json parameters = json::object();
  for (std::size_t k = 0; k < specs.size(); ++k) parameters[specs[k].name] = quantity_json(values[k], specs[k].unit);
  out_[field.key] = std::move(parameters);
}

// ---------------------------------------------------------------------------------------- listing

void BciKeyLister::add(const BciField& field, const std::string& unit, const std::string& type,
                       const std::string& value, const std::string& meaning) {
  out_.push_back({prefix_ + field.key, unit, type, value, meaning});
}

void BciKeyLister::real(const BciField& field, double& value) {
  std::string meaning = field.meaning;
  if (std::isfinite(field.min) || std::isfinite(field.max))
    meaning += " [" + format_number(field.min) + ", " + format_number(field.max) + "]";
  const std::string unit = field.unit;
  add(field, unit, unit == "1" ? "number" : "quantity", unit == "1" ? format_number(value) : format_number(value) + " " + unit,
      meaning);
}
void BciKeyLister::count(const BciField& field, std::size_t& value) {
  std::string meaning = field.meaning;
  if (std::isfinite(field.min) || std::isfinite(field.max))
    meaning += " [" + format_number(field.min) + ", " + format_number(field.max) + "]";
  add(field, "", "integer", std::to_string(value), meaning);
}
void BciKeyLister::integer(const BciField& field, int& value) {
  add(field, "", "integer", std::to_string(value), field.meaning);
}
void BciKeyLister::seed(const BciField& field, std::uint64_t& value) {
  add(field, "", "integer", std::to_string(value), field.meaning);
}
void BciKeyLister::flag(const BciField& field, bool& value) {
  add(field, "", "boolean", value ? "true" : "false", field.meaning);
}
void BciKeyLister::choice(const BciField& field, std::string& value, const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + std::string("`") + n + "`";
  add(field, "", "choice", value, std::string(field.meaning) + "; one of " + list);
}
void BciKeyLister::section(const BciField& field, const Body& body) {
  add(field, "", "object", "", field.meaning);
  BciKeyLister child(out_, prefix_ + field.key + ".");
  body(child);
}
void BciKeyLister::rule_parameters(const BciField& field, bci::LearningSpec&) {
  add(field, "", "object", "", field.meaning);
}

std::string pointer_of_message(const std::string& message, const BciJsonReader::Pointers& pointers) {
  const std::string prefix = "ExperimentSpec.";
  if (message.rfind(prefix, 0) != 0) return "";
  const std::size_t end = message.find_first_of(" :", prefix.size());
  std::string path = message.substr(prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
  while (!path.empty()) {
    if (const auto it = pointers.find(path); it != pointers.end()) return it->second;
    const std::size_t dot = path.rfind('.');
    if (dot == std::string::npos) break;
    path.erase(dot);
  }
  return "";
}

}  // namespace apical::detail
