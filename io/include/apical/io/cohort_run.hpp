#pragma once
// A BCI cohort run into a results folder (docs/scenarios.md, "Results of a bci_cohort run"):
//
//   scenario.json            the scenario file as given
//   scenario_resolved.json   every setting, defaults filled in (resolved_bci_scenario)
//   mice/mNN.h5              one HDF5 file per mouse, written session by session (bci_mouse_file.hpp)
//   days.csv, trials.csv     one row per session / per trial (cohort_recorder.hpp)
//   summary.json             run facts and the per-day learning summary (below)
//
// The simulation streams each session to disk, so memory does not grow with the run's length. Every
// file is the same whatever the thread count (wall time and thread count in summary.json aside).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apical/io/bci_scenario.hpp"
#include "apical/io/cohort_recorder.hpp"
#include "apical/models/bci/cohort.hpp"

namespace apical {

// One training day across mice. A mouse's accuracy on a day pools its sessions' hits and misses; mice
// without a decided trial that day are left out of the accuracy statistics. NaN where undefined (the
// s.e.m. needs two mice).
struct DaySummary {
  std::int32_t day = 1;
  std::size_t mice = 0;             // mice with a defined accuracy
  double accuracy_mean = 0, accuracy_sem = 0;
  double chance_mean = 0;           // session chance (own traces), over the day's sessions with one (NaN if none)
  double chance_baseline_mean = 0;  // baseline chance (calibration block in force), the same way
  double rewards_per_min_mean = 0, rewards_per_min_sem = 0;  // per mouse: mean over its sessions
};

std::vector<DaySummary> summarise_days(const std::vector<SessionRow>& rows);

struct CohortRunOptions {
  unsigned threads = 1;           // worker threads (≥ 1); results do not depend on it
  bci::CohortProgress progress;   // from worker threads; must be thread-safe
};

struct CohortRunResult {
  std::vector<std::string> files;  // paths written, in the order of summary.json's "files"
  std::vector<DaySummary> days;
  double wall_seconds = 0;
  unsigned threads = 1;            // threads used (≤ mice)
};

// Creates `folder` (stale mice/*.h5 and analysis.json of an earlier run there are removed), runs the
// cohort and writes every file above. `resolved` is written as scenario_resolved.json. Throws
// std::runtime_error on output failures; the simulation's own errors pass through.
CohortRunResult run_cohort_folder(const std::string& folder, const BciScenario& scenario,
                                  const nlohmann::json& resolved, const CohortRunOptions& options);

// summary.json ("format": "apical-bci-summary", version 1). `files` are relative to the folder.
void write_cohort_summary_json(const std::string& path, const BciScenario& scenario, const CohortRunResult& result,
                               const std::vector<std::string>& files);

}  // namespace apical
