#include "apical/models/build_model.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>

namespace apical {
namespace {

void check_bounds(const MechanismInfo& info, const ParameterSpec& spec, double value, const std::string& where) {
  if (!(value >= spec.min && value <= spec.max))
    throw std::invalid_argument(info.name + "." + spec.name + " = " + std::to_string(value) + " " + spec.unit +
                                " at " + where + " is outside [" + std::to_string(spec.min) + ", " +
                                std::to_string(spec.max) + "]");
}

std::shared_ptr<const Mechanism> lookup(const MechanismRegistry& registry, const std::string& name) {
  auto mechanism = registry.find(name);
  if (!mechanism) throw std::invalid_argument("unknown mechanism '" + name + "'");
  return mechanism;
}

// Where a density rule is evaluated for segment j of a section (see RuleSampling).
double rule_position(const SectionSpec& sec, int j, RuleSampling sampling) {
  if (sampling == RuleSampling::neuron_for_x_loop && j == sec.nseg - 1) return 1.0;
  return (j + 0.5) / sec.nseg;
}

MechanismGroup density_group(const CellDescription& cell, const Cable& cable, const MechanismRegistry& registry,
                             const std::string& name, const std::vector<const MechanismPlacementSpec*>& specs,
                             int n_cells) {
  MechanismGroup group{lookup(registry, name), {}};
  const MechanismInfo& info = group.mechanism->info();
  MechanismInstances& inst = group.instances;
  inst.n_cells = n_cells;
  std::vector<std::vector<double>> per_instance(info.parameters.size());
  std::set<int> placed;
  for (const MechanismPlacementSpec* spec : specs) {
    for (const auto& [param, rule] : spec->parameters)
      if (info.parameter_index(param) < 0)
        throw std::invalid_argument("mechanism '" + name + "' has no parameter '" + param + "'");
    for (int s : spec->sections) {
      const SectionSpec& sec = cell.morphology.sections.at(static_cast<std::size_t>(s));
      for (int j = 0; j < sec.nseg; ++j) {
        const int node = cable.segment_nodes[s][j];
        if (!placed.insert(node).second)
          throw std::invalid_argument("mechanism '" + name + "' is placed twice on " + cable.node_name[node]);
        const double d = path_distance_um(cell.morphology, cell.distance_origin,
                                          Site{s, rule_position(sec, j, cell.rule_sampling)});
        inst.node.push_back(node);
        inst.area_um2.push_back(cable.area_um2[node]);
        for (std::size_t p = 0; p < info.parameters.size(); ++p) {
          const auto it = spec->parameters.find(info.parameters[p].name);
          const double value = it == spec->parameters.end() ? info.parameters[p].default_value : it->second.at(d);
          check_bounds(info, info.parameters[p], value, cable.node_name[node]);
          per_instance[p].push_back(value);
        }
      }
    }
  }
  // Same value for every cell of the batch.
  const std::size_t N = static_cast<std::size_t>(n_cells);
  inst.parameters.assign(info.parameters.size(), std::vector<double>(inst.count() * N));
  for (std::size_t p = 0; p < info.parameters.size(); ++p)
    for (std::size_t k = 0; k < inst.count(); ++k)
      std::fill_n(inst.parameters[p].begin() + static_cast<std::ptrdiff_t>(k * N), N, per_instance[p][k]);
  return group;
}

MechanismGroup point_group(const CellDescription& cell, const Cable& cable, const MechanismRegistry& registry,
                           const PointPlacement& point, int n_cells) {
  MechanismGroup group{lookup(registry, point.mechanism), {}};
  const MechanismInfo& info = group.mechanism->info();
  if (info.kind != MechanismKind::point_process)
    throw std::invalid_argument("'" + point.mechanism + "' is not a point process");
  MechanismInstances& inst = group.instances;
  const std::size_t N = static_cast<std::size_t>(n_cells);
  inst.n_cells = n_cells;
  const int node = node_at(cell.morphology, cable, point.site);
  inst.node = {node};
  inst.area_um2 = {cable.area_um2[node]};
  for (const auto& [param, values] : point.parameters) {
    if (info.parameter_index(param) < 0)
      throw std::invalid_argument("mechanism '" + point.mechanism + "' has no parameter '" + param + "'");
    if (values.size() != N)
      throw std::invalid_argument(point.mechanism + "." + param + ": one value per cell is needed");
  }
  for (const ParameterSpec& spec : info.parameters) {
    const auto it = point.parameters.find(spec.name);
    std::vector<double> values = it == point.parameters.end() ? std::vector<double>(N, spec.default_value) : it->second;
    for (double v : values) check_bounds(info, spec, v, cable.node_name[node]);
    inst.parameters.push_back(std::move(values));
  }
  if (info.uses_events) {
    inst.event_times = point.event_times;
    inst.event_times.resize(N);
    for (auto& times : inst.event_times) std::sort(times.begin(), times.end());
  } else if (!point.event_times.empty()) {
    throw std::invalid_argument("'" + point.mechanism + "' takes no spike times");
  }
  return group;
}

}  // namespace

Model build_model(const CellDescription& cell, const MechanismRegistry& registry, int n_cells,
                  const std::vector<PointPlacement>& points) {
  if (n_cells < 1) throw std::invalid_argument("a batch needs at least one cell");
  Model model;
  model.morphology = cell.morphology;
  model.cable = discretise(cell.morphology);
  model.n_cells = n_cells;
  model.celsius = cell.celsius;
  model.v_init_mV = cell.v_init_mV;

  // Density mechanisms grouped by name in first-mention order; ion pools after everything else.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const MechanismPlacementSpec*>> by_name;
  for (const MechanismPlacementSpec& spec : cell.mechanisms) {
    if (!by_name.count(spec.mechanism)) order.push_back(spec.mechanism);
    by_name[spec.mechanism].push_back(&spec);
  }
  std::vector<MechanismGroup> pools;
  for (const std::string& name : order) {
    MechanismGroup group = density_group(cell, model.cable, registry, name, by_name[name], n_cells);
    const MechanismKind kind = group.mechanism->info().kind;
    if (kind == MechanismKind::point_process)
      throw std::invalid_argument("'" + name + "' is a point process; place it as a stimulus or synapse");
    (kind == MechanismKind::ion_pool ? pools : model.groups).push_back(std::move(group));
  }
  for (const PointPlacement& point : points) model.groups.push_back(point_group(cell, model.cable, registry, point, n_cells));
  for (MechanismGroup& pool : pools) model.groups.push_back(std::move(pool));
  validate(model);
  return model;
}

Site parse_site(const CellDescription& cell, const std::string& text) {
  const auto open = text.find('(');
  const std::string name = text.substr(0, open);
  const int section = cell.section_index(name);
  if (section < 0) throw std::invalid_argument("no section named '" + name + "' in cell '" + cell.name + "'");
  if (open == std::string::npos) return Site{section, 0.5};
  const auto close = text.find(')', open);
  if (close == std::string::npos || close != text.size() - 1)
    throw std::invalid_argument("site '" + text + "' is not of the form section(x)");
  const std::string number = text.substr(open + 1, close - open - 1);
  char* end = nullptr;
  const double x = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !(x >= 0.0 && x <= 1.0))
    throw std::invalid_argument("site '" + text + "': the position must be a number in [0, 1]");
  return Site{section, x};
}

}  // namespace apical
