#include "cell_morphology.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "apical/engine/d_lambda.hpp"
#include "apical/io/morphology_file.hpp"

namespace apical::detail {
namespace {

namespace fs = std::filesystem;

// The keys are in NeuriteType order (SWC codes 1 to 4).
NeuriteType neurite_type_of_key(const std::string& key) {
  return static_cast<NeuriteType>(std::find(neurite_keys.begin(), neurite_keys.end(), key) - neurite_keys.begin() + 1);
}

bool has_neurite(const CellDescription& cell, NeuriteType type) {
  return std::any_of(cell.tracing->sections.begin(), cell.tracing->sections.end(),
                     [type](const SectionTrace& s) { return s.type == type; });
}

// {"apical_dendrite": {"cm": "2 uF/cm2"}, ...}: R_a and c_m of every section of a type, then the
// segment counts again, since d-lambda depends on both.
void apply_neurite_overrides(const JsonValue& value, CellDescription& cell, const DLambdaRule& rule) {
  const JsonObject by_type(value, neurite_keys);
  for (const std::string& key : neurite_keys) {
    const auto entry = by_type.optional(key);
    if (!entry) continue;
    const JsonObject o(*entry, {"Ra", "cm"});
    std::optional<double> Ra, cm;
    if (const auto v = o.optional("Ra")) Ra = v->as_positive_quantity("ohm cm");
    if (const auto v = o.optional("cm")) cm = v->as_positive_quantity("uF/cm2");
    if (!Ra && !cm) entry->fail("give \"Ra\", \"cm\" or both for the " + key + " sections");
    const NeuriteType type = neurite_type_of_key(key);
    if (!has_neurite(cell, type))
      entry->fail("the morphology has no " + std::string(neurite_type_name(type)) + " sections");
    for (std::size_t s = 0; s < cell.morphology.sections.size(); ++s) {
      if (cell.tracing->sections[s].type != type) continue;
      SectionSpec& section = cell.morphology.sections[s];
      section.Ra_ohm_cm = Ra.value_or(section.Ra_ohm_cm);
      section.cm_uF_per_cm2 = cm.value_or(section.cm_uF_per_cm2);
    }
  }
  apply_d_lambda(cell.morphology, rule);
}

}  // namespace

const std::vector<std::string> neurite_keys{"soma", "axon", "basal_dendrite", "apical_dendrite"};

std::string resolve_morphology_file(const JsonValue& file, const std::string& base_folder) {
  const fs::path given = file.as_name();
  const fs::path resolved = given.is_absolute() ? given : fs::path(base_folder) / given;
  std::error_code ec;
  if (!fs::is_regular_file(resolved, ec))
    file.fail("morphology file not found: " + resolved.lexically_normal().string() +
              " (a relative path is taken from the cell file's folder)");
  return resolved.lexically_normal().string();
}

CellDescription read_cell_morphology(const JsonValue& value, const std::string& base_folder) {
  const JsonObject o(value, {"file", "Ra", "cm", "neurites", "d_lambda", "d_lambda_frequency"});
  const std::string path = resolve_morphology_file(o.required("file"), base_folder);
  ImportOptions options;
  options.Ra_ohm_cm = o.required("Ra").as_positive_quantity("ohm cm");
  options.cm_uF_per_cm2 = o.required("cm").as_positive_quantity("uF/cm2");
  if (const auto d_lambda = o.optional("d_lambda")) {
    options.d_lambda.d_lambda = d_lambda->as_number(0.0, 1.0);
    if (!(options.d_lambda.d_lambda > 0.0)) d_lambda->fail("d_lambda must be positive");
  }
  if (const auto frequency = o.optional("d_lambda_frequency"))
    options.d_lambda.frequency_Hz = frequency->as_positive_quantity("Hz");
  CellDescription cell = load_morphology(path, options).cell;
  if (const auto neurites = o.optional("neurites")) apply_neurite_overrides(*neurites, cell, options.d_lambda);
  return cell;
}

std::vector<int> sections_of_neurite(const JsonValue& name, const CellDescription& cell) {
  const NeuriteType type = neurite_type_of_key(name.as_choice(neurite_keys));
  std::vector<int> sections;
  for (std::size_t s = 0; s < cell.tracing->sections.size(); ++s)
    if (cell.tracing->sections[s].type == type) sections.push_back(static_cast<int>(s));
  if (sections.empty()) name.fail("the morphology has no " + std::string(neurite_type_name(type)) + " sections");
  return sections;
}

}  // namespace apical::detail
