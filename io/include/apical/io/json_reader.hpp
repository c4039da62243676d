#pragma once
// Strict, path-aware reading of JSON documents. Every failure is an InputError naming the file and the
// JSON Pointer of the value at fault; objects declare their allowed keys, so a misspelt key is an error
// with a "did you mean" hint rather than a silently ignored setting.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "apical/io/input_error.hpp"

namespace apical {

// Reads and parses a file: syntax errors carry line and column, and duplicate keys are rejected
// (nlohmann would otherwise keep the last one silently). `file_label` names the file in messages.
nlohmann::json read_json_file(const std::string& path);
nlohmann::json parse_json_text(const std::string& text, const std::string& file_label);

// One value of a document plus where it lives. Holds a pointer into the document, which must outlive it.
class JsonValue {
 public:
  JsonValue(const nlohmann::json& value, std::string file, std::string pointer = "");

  [[nodiscard]] const nlohmann::json& raw() const { return *value_; }
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& pointer() const { return pointer_; }
  [[noreturn]] void fail(const std::string& detail) const;

  [[nodiscard]] bool is_null() const { return value_->is_null(); }
  [[nodiscard]] std::string as_string() const;
  [[nodiscard]] std::string as_name() const;  // a non-empty string
  [[nodiscard]] std::string as_choice(const std::vector<std::string>& choices) const;
  [[nodiscard]] bool as_bool() const;
  [[nodiscard]] long long as_integer(long long min, long long max) const;
  [[nodiscard]] double as_number(double min, double max) const;
  // A "number unit" string converted to `unit`; dimensionless units ("1") also take a bare number.
  [[nodiscard]] double as_quantity(const std::string& unit) const;
  [[nodiscard]] double as_quantity(const std::string& unit, double min, double max) const;  // inclusive
  [[nodiscard]] double as_positive_quantity(const std::string& unit) const;                // > 0
  [[nodiscard]] std::vector<JsonValue> as_array(std::size_t min_size = 0) const;
  // A member of an object, for reading a discriminator ("type") before choosing the object's schema.
  [[nodiscard]] JsonValue member(const std::string& key) const;

 private:
  [[noreturn]] void wrong_type(const std::string& expected) const;
  const nlohmann::json* value_;
  std::string file_;
  std::string pointer_;
};

// An object whose allowed keys are declared up front; any other key fails at construction.
class JsonObject {
 public:
  JsonObject(const JsonValue& value, std::vector<std::string> allowed_keys);

  [[nodiscard]] JsonValue required(const std::string& key) const;
  [[nodiscard]] std::optional<JsonValue> optional(const std::string& key) const;
  [[nodiscard]] bool has(const std::string& key) const;
  [[nodiscard]] const JsonValue& value() const { return value_; }

 private:
  void check_declared(const std::string& key) const;
  JsonValue value_;
  std::vector<std::string> allowed_;
};

// "/a/b" + key, with JSON Pointer escaping (~0, ~1).
std::string pointer_append(const std::string& pointer, const std::string& key);

// A JSON value shortened for messages: "\"4\"", "12", "{...}".
std::string describe_json(const nlohmann::json& value);

}  // namespace apical
