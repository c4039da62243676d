#pragma once
// The visitors over the declared bci_cohort fields (bci_fields.hpp): reading JSON into the structs,
// writing the structs out as resolved JSON, and listing the keys for the reference.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "apical/io/bci_scenario.hpp"
#include "apical/io/json_reader.hpp"
#include "bci_fields.hpp"

namespace apical::detail {

// Reads the declared fields of one JSON object (the object itself may be absent: `object` null).
// Unknown keys are errors with a hint; a key written as its member name (with the unit suffix,
// "session_min") is told to drop the suffix and put the unit in the value. Records, for every field
// and section, the JSON Pointer of the member path ("teaching.reward_tau_s" → "/teaching/reward_tau")
// so that bci::validate's messages can be placed in the file.
class BciJsonReader final : public BciFieldVisitor {
 public:
  using Pointers = std::map<std::string, std::string>;
  // `value`: the object to read, or nullptr when absent (every field keeps its value). `where`: the
  // file and JSON Pointer of the object. `member_path`: "" at the top, "teaching." below.
  BciJsonReader(const nlohmann::json* value, const JsonValue& where, std::string member_path, Pointers& pointers,
                const std::vector<std::string>& extra_keys = {});

  void real(const BciField& field, double& value) override;
  void count(const BciField& field, std::size_t& value) override;
  void integer(const BciField& field, int& value) override;
  void seed(const BciField& field, std::uint64_t& value) override;
  void flag(const BciField& field, bool& value) override;
  void choice(const BciField& field, std::string& value, const std::vector<std::string>& names) override;
  void section(const BciField& field, const Body& body) override;
  void rule_parameters(const BciField& field, bci::LearningSpec& learning) override;

  // Checks the object's keys against those `body` declares (plus `extra_keys`); call before reading.
  void check_keys(const Body& body) const;

 private:
  [[nodiscard]] std::optional<JsonValue> find(const BciField& field);
  const nlohmann::json* value_;
  JsonValue where_;
  std::string member_path_;
  Pointers& pointers_;
  std::vector<std::string> extra_keys_;
};

// Writes every declared field into a JSON object, quantities in their declared unit.
class BciJsonWriter final : public BciFieldVisitor {
 public:
  explicit BciJsonWriter(nlohmann::json& out) : out_(out) {}

  void real(const BciField& field, double& value) override;
  void count(const BciField& field, std::size_t& value) override;
  void integer(const BciField& field, int& value) override;
  void seed(const BciField& field, std::uint64_t& value) override;
  void flag(const BciField& field, bool& value) override;
  void choice(const BciField& field, std::string& value, const std::vector<std::string>& names) override;
  void section(const BciField& field, const Body& body) override;
  void rule_parameters(const BciField& field, bci::LearningSpec& learning) override;

 private:
  nlohmann::json& out_;
};

// Lists every declared key with its unit, default (the visited values) and meaning.
class BciKeyLister final : public BciFieldVisitor {
 public:
  BciKeyLister(std::vector<BciScenarioKey>& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}

  void real(const BciField& field, double& value) override;
  void count(const BciField& field, std::size_t& value) override;
  void integer(const BciField& field, int& value) override;
  void seed(const BciField& field, std::uint64_t& value) override;
  void flag(const BciField& field, bool& value) override;
  void choice(const BciField& field, std::string& value, const std::vector<std::string>& names) override;
  void section(const BciField& field, const Body& body) override;
  void rule_parameters(const BciField& field, bci::LearningSpec& learning) override;

 private:
  void add(const BciField& field, const std::string& unit, const std::string& type, const std::string& value,
           const std::string& meaning);
  std::vector<BciScenarioKey>& out_;
  std::string prefix_;
};

// A quantity as written in files: "0.2 s", or the bare number for unit "1".
nlohmann::json quantity_json(double value, const std::string& unit);

// bci::validate names the first bad field by its member path: "ExperimentSpec.teaching.reward_tau_s = -1
// must be > 0" or "ExperimentSpec.imaging.dff.baseline: ...". The JSON Pointer of that field, or of
// the nearest enclosing section, or "" (the whole document).
std::string pointer_of_message(const std::string& message, const BciJsonReader::Pointers& pointers);

}  // namespace apical::detail
