#pragma once
// The Bahl et al. (2012) model-2 cell as shipped (models/data/bahl2012/model2.json) and the stimuli of
// the NEURON reference protocols (../shared/reference/bahl2012/README.md section 6).
#include <string>
#include <vector>

#include "apical/io/cell_file.hpp"
#include "apical/models/protocol.hpp"
#include "apical/models/register_all.hpp"

namespace apical::test {

inline const CellDescription& bahl_model2() {
  static const CellDescription cell =
      load_cell_file(std::string(APICAL_SOURCE_DIR) + "/models/data/bahl2012/model2.json");
  return cell;
}

// A protocol with one condition per entry of the per-condition stimulus values.
inline ProtocolSpec bahl_protocol(int conditions, double duration_ms, double record_interval_ms = 0.1) {
  ProtocolSpec spec;
  spec.cell = bahl_model2();
  for (int c = 0; c < conditions; ++c) spec.condition_labels.push_back("c" + std::to_string(c));
  spec.duration_ms = duration_ms;
  spec.record_interval_ms = record_interval_ms;
  spec.spike_site = parse_site(spec.cell, "soma(0.5)");
  spec.spike_threshold_mV = -20.0;
  return spec;
}

inline void record(ProtocolSpec& spec, const std::string& site, const std::string& variable = "v") {
  spec.recordings.push_back({variable + "_" + site, parse_site(spec.cell, site), variable});
}

inline void add_iclamp(ProtocolSpec& spec, const std::string& site, std::vector<double> delay_ms,
                       std::vector<double> dur_ms, std::vector<double> amp_nA) {
  PointPlacement p;
  p.mechanism = "iclamp";
  p.site = parse_site(spec.cell, site);
  p.parameters = {{"delay", std::move(delay_ms)}, {"dur", std::move(dur_ms)}, {"amp", std::move(amp_nA)}};
  spec.points.push_back(std::move(p));
}

// AlphaSynapse at tuft(0.75): onset 105 ms, tau 1 ms, e 0 mV, peak conductance per condition (nS).
inline void add_tuft_epsp(ProtocolSpec& spec, const std::vector<double>& gmax_nS) {
  PointPlacement p;
  p.mechanism = "alpha_onset_synapse";
  p.site = parse_site(spec.cell, "tuft(0.75)");
  const std::size_t n = gmax_nS.size();
  std::vector<double> gmax_uS;
  for (double g : gmax_nS) gmax_uS.push_back(g * 1e-3);
  p.parameters = {{"onset", std::vector<double>(n, 105.0)}, {"tau", std::vector<double>(n, 1.0)},
                  {"gmax", gmax_uS}, {"e", std::vector<double>(n, 0.0)}};
  spec.points.push_back(std::move(p));
}

// Longest stretch (ms) a trace stays above a level: the reference's Ca-spike criterion is
// tuft(0.75) above −10 mV for more than 10 ms.
inline double longest_above(const std::vector<double>& t, const std::vector<double>& v, double level) {
  double longest = 0, start = -1;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v[k] > level && start < 0) start = t[k];
    if ((v[k] <= level || k + 1 == v.size()) && start >= 0) {
      longest = std::max(longest, t[k] - start);
      start = -1;
    }
  }
  return longest;
}

}  // namespace apical::test
