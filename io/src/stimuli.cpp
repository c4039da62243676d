#include "stimuli.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>

#include "apical/io/units.hpp"
#include "parameter_value.hpp"
#include "site_text.hpp"

namespace apical::detail {
namespace {

// How a stimulus type maps onto a registry mechanism: file key -> declared parameter. Units and bounds
// are never written here; they come from the mechanism's ParameterSpec.
struct StimulusType {
  std::string type;
  std::string mechanism;
  std::vector<std::pair<std::string, std::string>> keys;
  std::string strength;
  std::string onset_key;  // "" for spike-driven synapses: onset = first spike
  bool spike_times;
};

const std::vector<StimulusType>& stimulus_types() {
  static const std::vector<StimulusType> types{
      {"current_step", "iclamp", {{"amplitude", "amp"}, {"start", "delay"}, {"duration", "dur"}}, "amp", "start", false},
      {"alpha_onset_synapse", "alpha_onset_synapse",
       {{"onset", "onset"}, {"tau", "tau"}, {"gmax", "gmax"}, {"reversal", "e"}}, "gmax", "onset", false},
      {"exp2_synapse", "exp2_synapse",
       {{"tau_rise", "tau1"}, {"tau_decay", "tau2"}, {"reversal", "e"}, {"weight", "weight"}}, "weight", "", true},
      {"alpha_synapse", "alpha_synapse", {{"tau", "tau"}, {"reversal", "e"}, {"weight", "weight"}}, "weight", "", true},
  };
  return types;
}

std::vector<std::string> type_names() {
  std::vector<std::string> names;
  for (const StimulusType& t : stimulus_types()) names.push_back(t.type);
  names.emplace_back("pulse_train");
  return names;
}

std::vector<std::string> section_names(const CellDescription& cell) {
  std::vector<std::string> names;
  for (const SectionSpec& s : cell.morphology.sections) names.push_back(s.name);
  return names;
}

const MechanismInfo& mechanism_info(const MechanismRegistry& registry, const std::string& name) {
  const auto mechanism = registry.find(name);
  if (!mechanism) throw std::logic_error("apical: stimulus mechanism '" + name + "' is not registered");
  return mechanism->info();
}

const ParameterSpec& parameter_spec(const MechanismInfo& info, const std::string& name) {
  const int index = info.parameter_index(name);
  if (index < 0) throw std::logic_error("apical: mechanism '" + info.name + "' has no parameter '" + name + "'");
  return info.parameters[static_cast<std::size_t>(index)];
}

std::vector<StimulusElement> read_simple(const JsonValue& value, const StimulusType& type, const CellDescription& cell,
                                         const MechanismRegistry& registry) {
  std::vector<std::string> allowed{"type", "site"};
  for (const auto& [key, parameter] : type.keys) allowed.push_back(key);
  if (type.spike_times) allowed.emplace_back("spike_times");
  const JsonObject o(value, allowed);
  const MechanismInfo& info = mechanism_info(registry, type.mechanism);
  StimulusElement e;
  e.mechanism = type.mechanism;
  e.site = read_site(o.required("site"), section_names(cell));
  e.strength = type.strength;
  e.uses_events = info.uses_events;
  for (const auto& [key, parameter] : type.keys)
    e.parameters[parameter] = read_parameter_value(o.required(key), info, parameter_spec(info, parameter));
  if (type.spike_times) {
    for (const JsonValue& t : o.required("spike_times").as_array())
      e.event_times.push_back(t.as_quantity("ms", 0.0, std::numeric_limits<double>::infinity()));
    std::sort(e.event_times.begin(), e.event_times.end());
    e.onset_ms = e.event_times.empty() ? std::numeric_limits<double>::infinity() : e.event_times.front();
  } else {
    e.onset_ms = e.parameters[std::find_if(type.keys.begin(), type.keys.end(),
                                           [&](const auto& k) { return k.first == type.onset_key; })->second];
  }
  return {e};
}

// count pulses of `width` every 1/frequency from `start`: one iclamp each.
std::vector<StimulusElement> read_pulse_train(const JsonValue& value, const CellDescription& cell,
                                              const MechanismRegistry& registry) {
  const JsonObject o(value, {"type", "site", "amplitude", "width", "start", "frequency", "count"});
  const MechanismInfo& info = mechanism_info(registry, "iclamp");
  const Site site = read_site(o.required("site"), section_names(cell));
  const double amp = read_parameter_value(o.required("amplitude"), info, parameter_spec(info, "amp"));
  const JsonValue width_value = o.required("width");
  const double width = width_value.as_positive_quantity("ms");
  check_parameter_bounds(width_value, info, parameter_spec(info, "dur"), width);
  const JsonValue start_value = o.required("start");
  const double start = read_parameter_value(start_value, info, parameter_spec(info, "delay"));
  const double frequency = o.required("frequency").as_positive_quantity("Hz");
  const auto count = o.required("count").as_integer(1, 100000);
  const double period = 1000.0 / frequency;
  if (count > 1 && width > period)
    width_value.fail("pulses would overlap: the width " + format_number(width) + " ms exceeds the period " +
                     format_number(period) + " ms");
  std::vector<StimulusElement> pulses;
  for (long long k = 0; k < count; ++k) {
    StimulusElement e;
    e.mechanism = "iclamp";
    e.site = site;
    e.strength = "amp";
    e.parameters = {{"amp", amp}, {"dur", width}, {"delay", start + static_cast<double>(k) * period}};
    check_parameter_bounds(start_value, info, parameter_spec(info, "delay"), e.parameters["delay"]);
    e.onset_ms = e.parameters["delay"];
    pulses.push_back(std::move(e));
  }
  return pulses;
}

PointPlacement placement_for(const StimulusElement& e, std::size_t n_cells) {
  PointPlacement p;
  p.mechanism = e.mechanism;
  p.site = e.site;
  for (const auto& [name, v] : e.parameters) p.parameters[name] = std::vector<double>(n_cells, v);
  if (e.uses_events) p.event_times.assign(n_cells, {});
  return p;
}

void set_cell(PointPlacement& p, const StimulusElement& e, std::size_t cell) {
  for (const auto& [name, v] : e.parameters) p.parameters[name][cell] = v;
  if (e.uses_events) p.event_times[cell] = e.event_times;
}

}  // namespace

std::vector<StimulusElement> read_stimulus(const JsonValue& value, const CellDescription& cell,
                                           const MechanismRegistry& registry) {
  const std::string type = value.member("type").as_choice(type_names());
  if (type == "pulse_train") return read_pulse_train(value, cell, registry);
  for (const StimulusType& t : stimulus_types())
    if (t.type == type) return read_simple(value, t, cell, registry);
  throw std::logic_error("apical: unhandled stimulus type " + type);
}

std::vector<PointPlacement> place_stimuli(const std::vector<StimulusElement>& shared,
                                          const std::vector<std::vector<StimulusElement>>& per_condition) {
  const std::size_t n = per_condition.size();
  std::vector<PointPlacement> out;
  for (const StimulusElement& e : shared) {
    out.push_back(placement_for(e, n));
    for (std::size_t c = 0; c < n; ++c) set_cell(out.back(), e, c);
  }
  // Key: mechanism, site and how many equal (mechanism, site) pairs came before it in the condition.
  using Key = std::tuple<std::string, int, double, int>;
  std::map<Key, std::size_t> index;
  for (std::size_t c = 0; c < n; ++c) {
    std::map<std::tuple<std::string, int, double>, int> seen;
    for (const StimulusElement& e : per_condition[c]) {
      const int occurrence = seen[{e.mechanism, e.site.section, e.site.x}]++;
      const Key key{e.mechanism, e.site.section, e.site.x, occurrence};
      auto it = index.find(key);
      if (it == index.end()) {
        // Conditions without this stimulus keep its timing but get zero strength and no spikes.
        PointPlacement p = placement_for(e, n);
        std::fill(p.parameters[e.strength].begin(), p.parameters[e.strength].end(), 0.0);
        it = index.emplace(key, out.size()).first;
        out.push_back(std::move(p));
      }
      set_cell(out[it->second], e, c);
    }
  }
  return out;
}

}  // namespace apical::detail
