#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "apical/io/results.hpp"
#include "apical/io/version.hpp"

namespace apical {
namespace {

using ordered = nlohmann::ordered_json;

ordered optional_number(const std::optional<double>& v) { return v ? ordered(*v) : ordered(nullptr); }

const char* integrator_name(Integrator i) {
  switch (i) {
    case Integrator::backward_euler: return "backward_euler";
    case Integrator::crank_nicolson: return "crank_nicolson";
    case Integrator::cvode: return "cvode";
  }
  return "?";
}

}  // namespace

void write_summary_json(const std::string& path, const Scenario& scenario, const ProtocolResult& result,
                        const std::vector<ConditionSummary>& summary) {
  const ProtocolSpec& spec = scenario.protocol;
  ordered doc;
  doc["format"] = "apical-summary";
  doc["format_version"] = 1;
  doc["scenario"] = scenario.name;
  doc["description"] = scenario.description;
  doc["scenario_file"] = scenario.file;
  doc["cell_file"] = scenario.cell_file;
  doc["cell"] = spec.cell.name;
  doc["apical_version"] = apical_version();
  doc["wall_seconds"] = result.wall_seconds;
  doc["integrator"] = integrator_name(spec.integrator);
  doc["duration_ms"] = spec.duration_ms;
  if (spec.integrator != Integrator::cvode) doc["dt_ms"] = spec.dt_ms;
  doc["record_interval_ms"] = spec.record_interval_ms;
  doc["spike_detection"] = {{"site", site_text(spec.cell, spec.spike_site)}, {"threshold_mV", spec.spike_threshold_mV}};
  ordered conditions = ordered::array();
  for (const ConditionSummary& s : summary) {
    ordered c;
    c["label"] = s.label;
    c["spike_count"] = s.spike_count;
    c["mean_rate_hz"] = s.mean_rate_hz;
    c["first_stimulus_ms"] = optional_number(s.first_stimulus_ms);
    c["first_spike_latency_ms"] = optional_number(s.first_spike_latency_ms);
    ordered recordings = ordered::object();
    for (std::size_t r = 0; r < spec.recordings.size(); ++r)
      recordings[spec.recordings[r].label] = {{"site", site_text(spec.cell, spec.recordings[r].site)},
                                              {"unit", recording_unit(spec.recordings[r].variable)},
                                              {"min", s.ranges.at(r).min},
                                              {"max", s.ranges.at(r).max}};
    c["recordings"] = std::move(recordings);
    conditions.push_back(std::move(c));
  }
  doc["conditions"] = std::move(conditions);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << doc.dump(2) << '\n';
  if (!out.flush()) throw std::runtime_error("error while writing " + path);
}

}  // namespace apical
