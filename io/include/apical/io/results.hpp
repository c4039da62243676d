#pragma once
// Writers for the results of one scenario run. The engine returns results in memory; only these
// functions touch files. Failures throw std::runtime_error naming the file.
//
//   traces.csv   t_ms, then one column "<condition>/<recording>_<unit>" per condition and recording
//   traces.h5    /time_ms, /traces/<condition>/<recording>, /spikes/<condition>; "units" attributes
//   spikes.csv   condition,time_ms (one row per spike)
//   summary.json per-condition spike count, rate, latency and recording ranges; wall time; version
#include <string>
#include <vector>

#include "apical/io/scenario.hpp"
#include "apical/io/summary.hpp"

namespace apical {

void write_traces_csv(const std::string& path, const Scenario& scenario, const ProtocolResult& result);
void write_traces_h5(const std::string& path, const Scenario& scenario, const ProtocolResult& result);
void write_spikes_csv(const std::string& path, const Scenario& scenario, const ProtocolResult& result);
void write_summary_json(const std::string& path, const Scenario& scenario, const ProtocolResult& result,
                        const std::vector<ConditionSummary>& summary);

// Creates `folder` and writes every file above plus copies of the scenario (scenario.json) and cell
// (cell.json, with its morphology file beside it: copy_cell_file) files, so the folder alone documents
// the run. Returns the paths written.
std::vector<std::string> write_run_folder(const std::string& folder, const Scenario& scenario,
                                          const ProtocolResult& result);

// "tuft(0.75)" for a site of the scenario's cell.
std::string site_text(const CellDescription& cell, const Site& site);

}  // namespace apical
