#include "apical/io/json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "apical/io/suggest.hpp"
#include "apical/io/units.hpp"

namespace apical {
namespace {

using nlohmann::json;

// Tracks the position inside the document during parsing so a duplicate key can be located.
class DuplicateKeyGuard {
 public:
  explicit DuplicateKeyGuard(std::string file) : file_(std::move(file)) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: enter(true); break;
      case json::parse_event_t::array_start: enter(false); break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end: frames_.pop_back(); break;
      case json::parse_event_t::key: {
        Frame& f = frames_.back();
        f.component = parsed.get<std::string>();
        if (!f.keys.insert(f.component).second)
          throw InputError(file_, pointer(), "duplicate key '" + f.component + "'");
        break;
      }
      case json::parse_event_t::value:
        if (!frames_.empty() && !frames_.back().is_object) next_element();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string component;  // current key, or current index in an array
    long index = -1;
  };
  void enter(bool is_object) {
    if (!frames_.empty() && !frames_.back().is_object) next_element();
    frames_.push_back(Frame{is_object, {}, {}, -1});
  }
  void next_element() {
    Frame& f = frames_.back();
    f.component = std::to_string(++f.index);
  }
  std::string pointer() const {
    std::string p;
    for (const Frame& f : frames_) p = pointer_append(p, f.component);
    return p;
  }
  std::string file_;
  std::vector<Frame> frames_;
};

std::string range_text(double min, double max, const std::string& unit) {
  const std::string u = unit.empty() || unit == "1" ? "" : " " + unit;
  const double inf = std::numeric_limits<double>::infinity();
  if (max == inf || max >= std::numeric_limits<double>::max())
    return "must be at least " + format_number(min) + u;
  if (min == -inf || min <= std::numeric_limits<double>::lowest())
    return "must be at most " + format_number(max) + u;
  return "must be between " + format_number(min) + " and " + format_number(max) + u;
}

}  // namespace

json parse_json_text(const std::string& text, const std::string& file_label) {
  try {
    return json::parse(text, DuplicateKeyGuard(file_label));
  } catch (const json::parse_error& e) {
    // nlohmann prefixes "[json.exception.parse_error.101] "; the rest names line and column.
    std::string message = e.what();
    const auto bracket = message.find("] ");
    if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) message.erase(0, bracket + 2);
    throw InputError(file_label, "", "invalid JSON: " + message);
  }
}

json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json_text(text.str(), path);
}

std::string pointer_append(const std::string& pointer, const std::string& key) {
  std::string escaped;
  for (char c : key) {
    if (c == '~') escaped += "~0";
    else if (c == '/') escaped += "~1";
    else escaped += c;
  }
  return pointer + "/" + escaped;
}

std::string describe_json(const json& value) {
  switch (value.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::null: return "null";
    case json::value_t::boolean: return std::string("the boolean ") + (value.get<bool>() ? "true" : "false");
    case json::value_t::string: {
      std::string s = value.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return "the string \"" + s + "\"";
    }
    default: return "the number " + value.dump();
  }
}

JsonValue::JsonValue(const json& value, std::string file, std::string pointer)
    : value_(&value), file_(std::move(file)), pointer_(std::move(pointer)) {}

void JsonValue::fail(const std::string& detail) const { throw InputError(file_, pointer_, detail); }

void JsonValue::wrong_type(const std::string& expected) const {
  fail("expected " + expected + ", got " + describe_json(*value_));
}

std::string JsonValue::as_string() const {
  if (!value_->is_string()) wrong_type("a string");
  return value_->get<std::string>();
}

std::string JsonValue::as_name() const {
  std::string s = as_string();
  if (s.empty()) fail("must not be empty");
  return s;
}

std::string JsonValue::as_choice(const std::vector<std::string>& choices) const {
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
  if (!value_->is_string()) wrong_type("one of " + list);
  std::string s = value_->get<std::string>();
  if (std::find(choices.begin(), choices.end(), s) == choices.end())
    fail("unknown value \"" + s + "\"" + suggestion_suffix(s, choices));
  return s;
}

bool JsonValue::as_bool() const {
  if (!value_->is_boolean()) wrong_type("true or false");
  return value_->get<bool>();
}

long long JsonValue::as_integer(long long min, long long max) const {
  long long v = 0;
  if (value_->is_number_unsigned()) {
    const auto u = value_->get<unsigned long long>();
    if (u > static_cast<unsigned long long>(max)) fail(value_->dump() + " is out of range: " + range_text(double(min), double(max), ""));
    v = static_cast<long long>(u);
  } else if (value_->is_number_integer()) {
    v = value_->get<long long>();
  } else if (value_->is_number_float() && std::nearbyint(value_->get<double>()) == value_->get<double>() &&
             std::abs(value_->get<double>()) < 9e15) {
    v = static_cast<long long>(value_->get<double>());  // 4.0: JSON does not distinguish it from 4
  } else {
    wrong_type("an integer");
  }
  if (v < min || v > max) fail(std::to_string(v) + " is out of range: " + range_text(double(min), double(max), ""));
  return v;
}

double JsonValue::as_number(double min, double max) const {
  if (!value_->is_number()) wrong_type("a number");
  const double v = value_->get<double>();
  if (!(v >= min && v <= max)) fail(format_number(v) + " is out of range: " + range_text(min, max, ""));
  return v;
}

double JsonValue::as_quantity(const std::string& unit) const {
  const std::string example = quantity_example(unit);
  if (unit == "1" && value_->is_number()) return value_->get<double>();
  if (!value_->is_string())
    wrong_type("a " + dimension_name(unit) + " written as a string with a unit, such as \"" + example + "\"");
  try {
    return parse_quantity(value_->get<std::string>(), unit);
  } catch (const QuantityError& e) {
    fail(e.what());
  }
}

double JsonValue::as_quantity(const std::string& unit, double min, double max) const {
  const double v = as_quantity(unit);
  if (!(v >= min && v <= max))
    fail(value_->dump() + " is out of range: " + range_text(min, max, unit));
  return v;
}

double JsonValue::as_positive_quantity(const std::string& unit) const {
  const double v = as_quantity(unit);
  if (!(v > 0)) fail(describe_json(*value_) + " must be positive");
  return v;
}

std::vector<JsonValue> JsonValue::as_array(std::size_t min_size) const {
  if (!value_->is_array()) wrong_type("an array");
  if (value_->size() < min_size)
    fail("expected at least " + std::to_string(min_size) + (min_size == 1 ? " entry" : " entries") + ", got " +
         std::to_string(value_->size()));
  std::vector<JsonValue> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i)
    out.emplace_back((*value_)[i], file_, pointer_append(pointer_, std::to_string(i)));
  return out;
}

JsonValue JsonValue::member(const std::string& key) const {
  if (!value_->is_object()) wrong_type("an object");
  const auto it = value_->find(key);
  if (it == value_->end()) fail("missing required key '" + key + "'");
  return JsonValue(*it, file_, pointer_append(pointer_, key));
}

JsonObject::JsonObject(const JsonValue& value, std::vector<std::string> allowed_keys)
    : value_(value), allowed_(std::move(allowed_keys)) {
  if (!value.raw().is_object()) value.fail("expected an object, got " + describe_json(value.raw()));
  for (const auto& [key, member] : value.raw().items()) {
    if (std::find(allowed_.begin(), allowed_.end(), key) != allowed_.end()) continue;
    throw InputError(value.file(), pointer_append(value.pointer(), key),
                     "unknown key '" + key + "'" + suggestion_suffix(key, allowed_));
  }
}

void JsonObject::check_declared(const std::string& key) const {
  if (std::find(allowed_.begin(), allowed_.end(), key) == allowed_.end())
    throw std::logic_error("apical: key '" + key + "' read but not declared for " + value_.pointer());
}

bool JsonObject::has(const std::string& key) const {
  check_declared(key);
  return value_.raw().contains(key);
}

JsonValue JsonObject::required(const std::string& key) const {
  check_declared(key);
  const auto it = value_.raw().find(key);
  if (it == value_.raw().end()) value_.fail("missing required key '" + key + "'");
  return JsonValue(*it, value_.file(), pointer_append(value_.pointer(), key));
}

std::optional<JsonValue> JsonObject::optional(const std::string& key) const {
  check_declared(key);
  const auto it = value_.raw().find(key);
  if (it == value_.raw().end()) return std::nullopt;
  return JsonValue(*it, value_.file(), pointer_append(value_.pointer(), key));
}

}  // namespace apical
