#include "apical/io/cell_file.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "apical/io/suggest.hpp"
#include "apical/io/format_header.hpp"
#include "cell_morphology.hpp"
#include "parameter_value.hpp"
#include "site_text.hpp"

namespace apical {
namespace {

using detail::read_site;

// Section names appear inside site strings, CSV headers and HDF5 paths.
void check_section_name(const JsonValue& value, const std::string& name) {
  if (name.find_first_of("() \t\r\n/,\"") != std::string::npos)
    value.fail("section name \"" + name + "\" must not contain parentheses, spaces, '/', ',' or '\"'");
}

std::vector<std::string> raw_section_names(const std::vector<JsonValue>& sections) {
  // A first lenient pass so a parent listed after its child gets a precise message.
  std::vector<std::string> names;
  for (const JsonValue& s : sections) {
    const auto& raw = s.raw();
    names.push_back(raw.is_object() && raw.contains("name") && raw["name"].is_string()
                        ? raw["name"].get<std::string>() : std::string());
  }
  return names;
}

SectionSpec read_section(const JsonValue& value, int index, const std::vector<std::string>& all_names) {
  const JsonObject o(value, {"name", "parent", "length", "diameter", "nseg", "Ra", "cm"});
  SectionSpec sec;
  const JsonValue name = o.required("name");
  sec.name = name.as_name();
  check_section_name(name, sec.name);
  if (std::find(all_names.begin(), all_names.begin() + index, sec.name) != all_names.begin() + index)
    name.fail("a section named '" + sec.name + "' already exists");

  const JsonValue parent = o.required("parent");
  if (index == 0) {
    if (!parent.is_null()) parent.fail("the first section is the root of the tree: write \"parent\": null");
  } else {
    if (parent.is_null()) parent.fail("only the first section may be the root; give a parent such as \"soma(1)\"");
    const Site site = read_site(parent, all_names, true);
    if (site.section >= index)
      parent.fail("section '" + all_names[site.section] + "' must be listed before its child '" + sec.name + "'");
    sec.parent = site.section;
    sec.parent_x = site.x;
  }

  sec.length_um = o.required("length").as_positive_quantity("um");
  const JsonValue diameter = o.required("diameter");
  if (diameter.raw().is_array()) {
    const auto ends = diameter.as_array();
    if (ends.size() != 2) diameter.fail("a taper is [start, end], e.g. [\"3.5 um\", \"2 um\"]");
    sec.diam_start_um = ends[0].as_positive_quantity("um");
    sec.diam_end_um = ends[1].as_positive_quantity("um");
  } else if (diameter.raw().is_string()) {
    sec.diam_start_um = sec.diam_end_um = diameter.as_positive_quantity("um");
  } else {
    diameter.fail("expected a diameter such as \"2 um\" or a linear taper [\"3.5 um\", \"2 um\"], got " +
                  describe_json(diameter.raw()));
  }
  sec.nseg = static_cast<int>(o.required("nseg").as_integer(1, 100000));
  sec.Ra_ohm_cm = o.required("Ra").as_positive_quantity("ohm cm");
  sec.cm_uF_per_cm2 = o.required("cm").as_positive_quantity("uF/cm2");
  return sec;
}

std::vector<std::string> section_names(const CellDescription& cell) {
  std::vector<std::string> names;
  for (const SectionSpec& s : cell.morphology.sections) names.push_back(s.name);
  return names;
}

DistanceRule read_linear(const JsonValue& value, const CellDescription& cell, const MechanismInfo& info,
                         const ParameterSpec& spec) {
  const auto points = value.as_array();
  if (points.size() != 2) value.fail("a linear rule has exactly two points: [{\"at\": ..., \"value\": ...}, {...}]");
  DistanceRule rule;
  rule.kind = DistanceRule::Kind::linear;
  double d[2], v[2];
  for (int k = 0; k < 2; ++k) {
    // A point is a site, or a path distance (what a reconstruction's rule is naturally written in).
    const JsonObject p(points[k], {"at", "distance", "value"});
    if (p.has("at") == p.has("distance"))
      points[k].fail("a point of a linear rule has exactly one of the keys 'at' (a site) or 'distance'");
    if (const auto distance = p.optional("distance"))
      d[k] = distance->as_quantity("um", 0.0, std::numeric_limits<double>::infinity());
    else
      d[k] = path_distance_um(cell.morphology, cell.distance_origin,
                              read_site(p.required("at"), section_names(cell), true));
    v[k] = detail::read_parameter_value(p.required("value"), info, spec);
  }
  if (d[0] == d[1]) value.fail("the two points lie at the same distance from the origin (" + std::to_string(d[0]) + " um)");
  rule.d0_um = d[0];
  rule.v0 = v[0];
  rule.d1_um = d[1];
  rule.v1 = v[1];
  return rule;
}

DistanceRule read_exponential(const JsonValue& value, const MechanismInfo& info, const ParameterSpec& spec) {
  const JsonObject o(value, {"scale", "length"});
  DistanceRule rule;
  rule.kind = DistanceRule::Kind::exponential;
  rule.scale = detail::read_parameter_value(o.required("scale"), info, spec);
  const JsonValue length = o.required("length");
  rule.length_um = length.as_quantity("um");
  if (rule.length_um == 0) length.fail("the length constant must not be zero");
  return rule;
}

// A parameter is a constant (a quantity) or a distance rule {"linear": [...]} / {"exponential": {...}}.
DistanceRule read_rule(const JsonValue& value, const CellDescription& cell, const MechanismInfo& info,
                       const ParameterSpec& spec) {
  if (!value.raw().is_object()) return DistanceRule::constant_value(detail::read_parameter_value(value, info, spec));
  const JsonObject o(value, {"linear", "exponential"});
  if (o.has("linear") == o.has("exponential"))
    value.fail("a distance rule has exactly one of the keys 'linear' or 'exponential'");
  if (const auto linear = o.optional("linear")) return read_linear(*linear, cell, info, spec);
  return read_exponential(*o.optional("exponential"), info, spec);
}

MechanismPlacementSpec read_mechanism(const JsonValue& value, const CellDescription& cell,
                                      const MechanismRegistry& registry,
                                      std::map<std::string, std::map<int, std::string>>& placed) {
  const JsonObject o(value, {"mechanism", "sections", "neurites", "parameters"});
  MechanismPlacementSpec spec;
  const JsonValue name = o.required("mechanism");
  spec.mechanism = name.as_name();
  const auto mechanism = registry.find(spec.mechanism);
  if (!mechanism) name.fail("unknown mechanism '" + spec.mechanism + "'" + suggestion_suffix(spec.mechanism, registry.names()));
  const MechanismInfo& info = mechanism->info();
  if (info.kind == MechanismKind::point_process)
    name.fail("'" + spec.mechanism + "' is a point process; place it as a stimulus in a scenario");

  const std::vector<std::string> names = section_names(cell);
  const auto place = [&](int index, const JsonValue& where) {
    const auto [previous, inserted] = placed[spec.mechanism].emplace(index, where.pointer());
    if (!inserted)
      where.fail("'" + spec.mechanism + "' is already placed on section '" + names[static_cast<std::size_t>(index)] +
                 "' (at " + previous->second + ")");
    spec.sections.push_back(index);
  };
  const auto sections = o.optional("sections"), neurites = o.optional("neurites");
  if (!sections && !neurites)
    value.fail("missing required key 'sections' (section names) or 'neurites' (neurite types of an imported cell)");
  if (sections)
    for (const JsonValue& s : sections->as_array(1)) {
      const std::string section = s.as_name();
      const auto it = std::find(names.begin(), names.end(), section);
      if (it == names.end()) s.fail("no section named '" + section + "'" + suggestion_suffix(section, names));
      place(static_cast<int>(it - names.begin()), s);
    }
  if (neurites) {
    if (!cell.tracing)
      neurites->fail("neurite types select the sections of a cell imported with \"morphology\"; this cell lists "
                     "its sections by hand, so name them in \"sections\"");
    for (const JsonValue& n : neurites->as_array(1))
      for (int index : detail::sections_of_neurite(n, cell)) place(index, n);
  }

  if (const auto parameters = o.optional("parameters")) {
    std::vector<std::string> declared;
    for (const ParameterSpec& p : info.parameters) declared.push_back(p.name);
    const JsonObject params(*parameters, declared);
    for (const ParameterSpec& p : info.parameters)
      if (const auto v = params.optional(p.name)) spec.parameters[p.name] = read_rule(*v, cell, info, p);
  }
  return spec;
}

}  // namespace

CellDescription read_cell(const nlohmann::json& document, const std::string& file_label,
                          const std::string& base_folder, const MechanismRegistry& registry) {
  const JsonObject top(JsonValue(document, file_label),
                       {"format", "format_version", "name", "description", "citation", "temperature", "v_init",
                        "distance_origin", "rule_sampling", "sections", "morphology", "mechanisms"});
  check_format(top, "apical-cell", cell_format_version);
  if (!top.has("sections") && !top.has("morphology"))
    top.value().fail("missing required key 'sections' (written by hand) or 'morphology' (imported from a "
                     "reconstruction file)");
  if (top.has("sections") && top.has("morphology"))
    top.required("morphology").fail("a cell has either 'sections' (written by hand) or 'morphology' (imported "
                                    "from a reconstruction file), not both");
  CellDescription cell;
  if (const auto morphology = top.optional("morphology")) cell = detail::read_cell_morphology(*morphology, base_folder);
  cell.name = top.required("name").as_name();
  if (const auto citation = top.optional("citation")) cell.citation = citation->as_string();
  if (const auto description = top.optional("description")) (void)description->as_string();
  cell.celsius = top.required("temperature").as_quantity("degC", -50.0, 100.0);
  cell.v_init_mV = top.required("v_init").as_quantity("mV", -200.0, 200.0);

  if (const auto sections = top.optional("sections")) {
    const auto entries = sections->as_array(1);
    const std::vector<std::string> names = raw_section_names(entries);
    for (std::size_t s = 0; s < entries.size(); ++s)
      cell.morphology.sections.push_back(read_section(entries[s], static_cast<int>(s), names));
    cell.distance_origin = Site{0, 0.0};
  }

  // Imported cells keep their default origin, soma(0.5).
  const std::vector<std::string> names = section_names(cell);
  if (const auto origin = top.optional("distance_origin")) {
    cell.distance_origin = detail::read_site(*origin, names, true);
    if (cell.distance_origin.section != 0)
      origin->fail("the distance origin must lie on the root section '" + names[0] + "'");
  }
  if (const auto sampling = top.optional("rule_sampling"))
    cell.rule_sampling = sampling->as_choice({"segment_centres", "neuron_for_x_loop"}) == "neuron_for_x_loop"
                             ? RuleSampling::neuron_for_x_loop : RuleSampling::segment_centres;

  std::map<std::string, std::map<int, std::string>> placed;  // mechanism -> section -> where placed
  for (const JsonValue& m : top.required("mechanisms").as_array())
    cell.mechanisms.push_back(read_mechanism(m, cell, registry, placed));
  return cell;
}

CellDescription load_cell_file(const std::string& path, const MechanismRegistry& registry) {
  return read_cell(read_json_file(path), path, std::filesystem::path(path).parent_path().string(), registry);
}

}  // namespace apical
