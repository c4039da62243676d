#include "apical/io/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "apical/io/bci_scenario.hpp"
#include "apical/io/cell_file.hpp"
#include "apical/io/units.hpp"
#include "apical/io/format_header.hpp"
#include "site_text.hpp"
#include "stimuli.hpp"

namespace apical {
namespace {

namespace fs = std::filesystem;
using detail::StimulusElement;

std::vector<std::string> section_names(const CellDescription& cell) {
  std::vector<std::string> names;
  for (const SectionSpec& s : cell.morphology.sections) names.push_back(s.name);
  return names;
}

// Labels become CSV column names and HDF5 group names.
std::string read_label(const JsonValue& value, std::set<std::string>& taken) {
  const std::string label = value.as_name();
  if (label.find_first_of("/,\"\n\r") != std::string::npos || label == "." || label == "..")
    value.fail("label \"" + label + "\" must not contain '/', ',', '\"' or line breaks");
  if (!taken.insert(label).second) value.fail("the label \"" + label + "\" is used twice");
  return label;
}

bool is_whole_multiple(double numerator, double denominator) {
  const double ratio = numerator / denominator;
  return ratio >= 1.0 - 1e-9 && std::abs(ratio - std::round(ratio)) <= 1e-9 * ratio;
}

void read_simulation(const JsonValue& value, ProtocolSpec& spec) {
  const JsonObject o(value, {"duration", "dt", "integrator", "record_interval", "cvode"});
  spec.duration_ms = o.required("duration").as_positive_quantity("ms");
  if (const auto integrator = o.optional("integrator")) {
    const std::string name = integrator->as_choice({"backward_euler", "crank_nicolson", "cvode"});
    spec.integrator = name == "cvode" ? Integrator::cvode
                      : name == "crank_nicolson" ? Integrator::crank_nicolson : Integrator::backward_euler;
  }
  const bool fixed_step = spec.integrator != Integrator::cvode;
  const auto dt = o.optional("dt");
  if (dt && !fixed_step) dt->fail("dt is used only by the fixed-step integrators; CVODE chooses its own steps");
  if (dt) spec.dt_ms = dt->as_positive_quantity("ms");
  if (fixed_step && !is_whole_multiple(spec.duration_ms, spec.dt_ms))
    o.required("duration").fail("the duration must be a whole number of time steps (dt = " + format_number(spec.dt_ms) + " ms)");

  spec.record_interval_ms = fixed_step ? spec.dt_ms : 0.1;
  if (const auto interval = o.optional("record_interval")) {
    spec.record_interval_ms = interval->as_positive_quantity("ms");
    if (fixed_step && !is_whole_multiple(spec.record_interval_ms, spec.dt_ms))
      interval->fail("the recording interval must be a whole multiple of dt (" + format_number(spec.dt_ms) + " ms)");
    if (!fixed_step && !is_whole_multiple(spec.duration_ms, spec.record_interval_ms))
      interval->fail("with CVODE the duration must be a whole multiple of the recording interval");
  } else if (!fixed_step && !is_whole_multiple(spec.duration_ms, spec.record_interval_ms)) {
    o.required("duration").fail("with CVODE the duration must be a whole multiple of the recording interval (0.1 ms)");
  }

  if (const auto cvode = o.optional("cvode")) {
    if (fixed_step) cvode->fail("CVODE settings given, but the integrator is not \"cvode\"");
    const JsonObject c(*cvode, {"relative_tolerance", "absolute_tolerance", "max_step"});
    if (const auto rtol = c.optional("relative_tolerance")) spec.cvode.relative_tolerance = rtol->as_number(1e-14, 1.0);
    if (const auto atol = c.optional("absolute_tolerance")) spec.cvode.absolute_tolerance = atol->as_number(1e-14, 1.0);
    if (const auto max_step = c.optional("max_step"))
      spec.cvode.max_step_ms = max_step->as_quantity("ms", 0.0, std::numeric_limits<double>::infinity());
  }
}

bool has_ion_pool(const CellDescription& cell, int section, const MechanismRegistry& registry) {
  for (const MechanismPlacementSpec& m : cell.mechanisms) {
    const auto mechanism = registry.find(m.mechanism);
    if (mechanism && mechanism->info().kind == MechanismKind::ion_pool &&
        std::find(m.sections.begin(), m.sections.end(), section) != m.sections.end())
      return true;
  }
  return false;
}

// "record_segments": ["v", "cai"]: variables recorded at every segment centre (for pictures).
std::vector<std::string> read_segment_variables(const JsonValue& value) {
  std::vector<std::string> variables;
  for (const JsonValue& v : value.as_array(1)) {
    std::string variable = v.as_choice({"v", "cai"});
    if (std::find(variables.begin(), variables.end(), variable) != variables.end())
      v.fail("\"" + variable + "\" is listed twice");
    variables.push_back(std::move(variable));
  }
  return variables;
}

RecordingSpec read_recording(const JsonValue& value, const CellDescription& cell, const MechanismRegistry& registry,
                             std::set<std::string>& labels) {
  const JsonObject o(value, {"site", "variable", "label"});
  RecordingSpec r;
  const JsonValue site = o.required("site");
  r.site = detail::read_site(site, section_names(cell));
  r.variable = "v";
  if (const auto variable = o.optional("variable")) r.variable = variable->as_choice({"v", "cai"});
  if (r.variable == "cai") {
    if (r.site.x == 0.0 || r.site.x == 1.0) site.fail("[Ca] lives at segment centres; use a position inside (0, 1)");
    if (!has_ion_pool(cell, r.site.section, registry))
      site.fail("section '" + cell.morphology.sections[r.site.section].name +
                "' has no ion pool (such as cad), so [Ca] would stay at its initial value");
  }
  if (const auto label = o.optional("label")) {
    r.label = read_label(*label, labels);
  } else {
    r.label = r.variable + "_" + site.as_string();
    if (!labels.insert(r.label).second) value.fail("a second recording of " + r.label + "; give it a \"label\"");
  }
  return r;
}

std::vector<StimulusElement> read_stimuli(const JsonValue& value, const CellDescription& cell,
                                          const MechanismRegistry& registry) {
  std::vector<StimulusElement> out;
  for (const JsonValue& s : value.as_array())
    for (StimulusElement& e : detail::read_stimulus(s, cell, registry)) out.push_back(std::move(e));
  return out;
}

void read_spike_detection(const JsonValue& value, const CellDescription& cell, ProtocolSpec& spec) {
  const JsonObject o(value, {"site", "threshold"});
  if (const auto site = o.optional("site")) spec.spike_site = detail::read_site(*site, section_names(cell));
  if (const auto threshold = o.optional("threshold")) spec.spike_threshold_mV = threshold->as_quantity("mV", -200.0, 200.0);
}

std::string resolve_cell_path(const JsonValue& value, const std::string& base_folder) {
  const fs::path given = value.as_name();
  const fs::path resolved = given.is_absolute() ? given : fs::path(base_folder) / given;
  std::error_code ec;
  if (!fs::is_regular_file(resolved, ec))
    value.fail("cell file not found: " + resolved.lexically_normal().string() +
               " (a relative path is taken from the scenario file's folder)");
  return resolved.lexically_normal().string();
}

}  // namespace

std::string recording_unit(const std::string& variable) { return variable == "cai" ? "mM" : "mV"; }

Scenario read_scenario(const nlohmann::json& document, const std::string& file_label, const std::string& base_folder,
                       const MechanismRegistry& registry) {
  // A cohort of virtual mice has its own reader; name it instead of listing its keys as unknown.
  if (document.is_object() && document.contains("kind") && document["kind"].is_string() &&
      scenario_kind(document, file_label) == "bci_cohort")
    throw InputError(file_label, "/kind",
                     "this is a bci_cohort scenario (a cohort of virtual mice in the BCI experiment), not a "
                     "single-cell simulation; read it with load_bci_scenario");
  const JsonObject top(JsonValue(document, file_label),
                       {"format", "format_version", "kind", "name", "description", "cell", "simulation", "stimuli",
                        "conditions", "recordings", "record_segments", "spike_detection"});
  check_format(top, "apical-scenario", scenario_format_version);
  (void)top.required("kind").as_choice({"single_cell"});

  Scenario scenario;
  scenario.file = file_label;
  scenario.name = top.has("name") ? top.required("name").as_name() : fs::path(file_label).stem().string();
  if (const auto description = top.optional("description")) scenario.description = description->as_string();
  scenario.cell_file = resolve_cell_path(top.required("cell"), base_folder);
  ProtocolSpec& spec = scenario.protocol;
  spec.cell = load_cell_file(scenario.cell_file, registry);
  spec.spike_site = Site{0, 0.5};
  read_simulation(top.required("simulation"), spec);

  const std::vector<StimulusElement> shared =
      top.has("stimuli") ? read_stimuli(top.required("stimuli"), spec.cell, registry) : std::vector<StimulusElement>{};
  std::vector<std::vector<StimulusElement>> per_condition;
  if (const auto conditions = top.optional("conditions")) {
    std::set<std::string> labels;
    for (const JsonValue& c : conditions->as_array(1)) {
      const JsonObject o(c, {"label", "stimuli"});
      spec.condition_labels.push_back(read_label(o.required("label"), labels));
      per_condition.push_back(o.has("stimuli") ? read_stimuli(o.required("stimuli"), spec.cell, registry)
                                               : std::vector<StimulusElement>{});
    }
  } else {
    spec.condition_labels = {"default"};
    per_condition.resize(1);
  }
  spec.points = detail::place_stimuli(shared, per_condition);
  for (const auto& elements : per_condition) {
    std::optional<double> first;
    for (const auto* list : {&shared, &elements})
      for (const StimulusElement& e : *list)
        if (std::isfinite(e.onset_ms) && (!first || e.onset_ms < *first)) first = e.onset_ms;
    scenario.first_stimulus_ms.push_back(first);
  }

  std::set<std::string> recording_labels;
  for (const JsonValue& r : top.required("recordings").as_array(1))
    spec.recordings.push_back(read_recording(r, spec.cell, registry, recording_labels));
  if (const auto segments = top.optional("record_segments")) spec.segment_variables = read_segment_variables(*segments);
  if (const auto detection = top.optional("spike_detection")) read_spike_detection(*detection, spec.cell, spec);

  // Building the model once here turns any remaining inconsistency into an input error before a run.
  try {
    (void)build_model(spec.cell, registry, static_cast<int>(spec.condition_labels.size()), spec.points);
  } catch (const std::invalid_argument& e) {
    throw InputError(file_label, "", std::string("the model cannot be built: ") + e.what());
  }
  return scenario;
}

Scenario load_scenario(const std::string& path, const MechanismRegistry& registry) {
  const std::string folder = fs::path(path).parent_path().string();
  return read_scenario(read_json_file(path), path, folder.empty() ? "." : folder, registry);
}

}  // namespace apical
