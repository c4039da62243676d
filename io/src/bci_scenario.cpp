// bci_cohort scenarios: the header (format, version, kind, name, description), the declared fields
// (bci_sections.hpp) read through BciJsonReader, bci::validate with its messages placed in the file,
// the resolved scenario and the key reference.
#include "apical/io/bci_scenario.hpp"

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>

#include "apical/io/cell_file.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/io/scenario.hpp"
#include "apical/io/suggest.hpp"
#include "bci_sections.hpp"
#include "bci_visitors.hpp"
#include "apical/io/format_header.hpp"

namespace apical {
namespace {

using nlohmann::json;

const std::vector<std::string> header_keys{"format", "format_version", "kind", "name", "description"};

// The shipped cell files: $APICAL_DATA_DIR if set, else the source tree's models/data (fixed at build time).
std::string shipped_data_file(const std::string& relative) {
  const char* env = std::getenv("APICAL_DATA_DIR");
  const std::string folder = env && *env ? env : APICAL_DATA_DIR;
  return (std::filesystem::path(folder) / relative).string();
}

}  // namespace

std::string scenario_kind(const json& document, const std::string& file_label) {
  if (!document.is_object())
    throw InputError(file_label, "", "expected a JSON object at the top level, got " + describe_json(document));
  const auto it = document.find("kind");
  if (it == document.end()) return "single_cell";
  if (!it->is_string())
    throw InputError(file_label, "/kind", "expected a string such as \"bci_cohort\", got " + describe_json(*it));
  return it->get<std::string>();
}

BciScenario read_bci_scenario(const json& document, const std::string& file_label) {
  const JsonValue top(document, file_label);
  if (!document.is_object()) top.fail("expected an object, got " + describe_json(document));

  // The header first, so that a file of another format or kind is named as such rather than by its keys.
  std::vector<std::string> present = header_keys;
  for (const auto& [key, value] : document.items()) present.push_back(key);
  const JsonObject header(top, present);
  check_format(header, "apical-scenario", scenario_format_version);
  const JsonValue kind = header.required("kind");
  const std::string kind_name = kind.as_string();
  if (kind_name != "bci_cohort")
    kind.fail("this reader expects a \"bci_cohort\" scenario, got \"" + kind_name + "\"" +
              (kind_name == "single_cell" ? " (single-cell scenarios are read by load_scenario)"
                                          : suggestion_suffix(kind_name, {"bci_cohort"})));

  BciScenario scenario;
  scenario.file = file_label;
  detail::BciJsonReader::Pointers pointers;
  detail::BciJsonReader reader(&document, top, "", pointers, header_keys);
  const detail::BciFieldVisitor::Body body = [&](detail::BciFieldVisitor& v) {
    detail::visit_bci_scenario(v, scenario.spec, scenario.mice, scenario.first_mouse);
  };
  reader.check_keys(body);
  const JsonObject o(top, present);
  scenario.name = o.has("name") ? o.required("name").as_name() : std::filesystem::path(file_label).stem().string();
  if (const auto description = o.optional("description")) scenario.description = description->as_string();
  body(reader);
  // cell_model bahl2012: the cell is the shipped Bahl et al. (2012) model 2 (compartmental_cell.hpp).
  if (scenario.spec.circuit.cell_model == bci::CellModel::bahl2012 && !scenario.spec.circuit.compartmental.description)
    scenario.spec.circuit.compartmental.description =
        std::make_shared<const CellDescription>(load_cell_file(shipped_data_file("bahl2012/model2.json")));

  if (scenario.mice - 1 > std::numeric_limits<std::uint64_t>::max() - scenario.first_mouse)
    throw InputError(file_label, "/cohort/first_mouse", "first_mouse + mice − 1 exceeds 2^64 − 1");
  try {
    bci::validate(scenario.spec);
  } catch (const std::invalid_argument& e) {
    throw InputError(file_label, detail::pointer_of_message(e.what(), pointers), e.what());
  }
  return scenario;
}

BciScenario load_bci_scenario(const std::string& path) { return read_bci_scenario(read_json_file(path), path); }

json resolved_bci_scenario(const BciScenario& scenario) {
  json out = json::object();
  out["format"] = "apical-scenario";
  out["format_version"] = scenario_format_version;
  out["kind"] = "bci_cohort";
  if (!scenario.name.empty()) out["name"] = scenario.name;
  out["description"] = scenario.description;
  BciScenario copy = scenario;  // the visitors take the fields by reference; the writer changes nothing
  detail::BciJsonWriter writer(out);
  detail::visit_bci_scenario(writer, copy.spec, copy.mice, copy.first_mouse);
  return out;
}

std::vector<BciScenarioKey> bci_scenario_keys() {
  std::vector<BciScenarioKey> keys;
  BciScenario defaults;
  detail::BciKeyLister lister(keys, "");
  detail::visit_bci_scenario(lister, defaults.spec, defaults.mice, defaults.first_mouse);
  return keys;
}

}  // namespace apical
