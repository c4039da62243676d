#pragma once
// One run of a sweep in its folder OUT/runs/<hash> (docs/sweeps.md, "Run folders"):
//
//   scenario.json, scenario_resolved.json, mice/*.h5, days.csv, trials.csv, summary.json, analysis.json
//                   the run as 'apical run' writes it (one thread), then 'apical analyze'
//   complete.json   written last, atomically (write, then rename): the run is finished
//   failed.json     instead of complete.json when the run threw: the error message
//
// A folder without complete.json is unfinished: executing the run again clears it first. The outcome
// of a run (its row of sweep.csv) is read back from the folder, so it is the same however and
// wherever the run was executed.
#include <functional>
#include <string>
#include <vector>

#include "apical/sweep/sweep_file.hpp"

namespace apical::sweep {

enum class RunStatus { ok, failed, missing };
std::string to_string(RunStatus status);  // "ok", "failed", "missing"

struct Outcome {
  RunStatus status = RunStatus::missing;
  std::string error;           // failed: the message; missing: why
  std::vector<double> values;  // ok: one per headline_columns(), NaN where undefined; else empty
};

// The headline numbers of a finished run, in sweep.csv's column order: from summary.json (days,
// day-1 and last-day accuracy and rewards/min, learning gain = last-day − day-1 accuracy) and from
// analysis.json (names as there).
const std::vector<std::string>& headline_columns();

// What executing a run does between clearing its folder and writing the marker. Throws on failure.
using Simulate = std::function<void(const Run& run, const std::string& folder)>;

// The default: the cohort on one thread (run_cohort_folder), then its analysis (analysis.json).
void simulate_cohort(const Run& run, const std::string& folder);

// Whether OUT/run.folder holds a finished run (complete.json).
bool run_finished(const std::string& out, const Run& run);

// Executes a loadable run into OUT/run.folder: clears the folder, writes scenario.json, simulates,
// then writes complete.json, or failed.json with the exception's message. Returns read_outcome;
// never throws for a failing run.
Outcome execute_run(const std::string& out, const Run& run, const Simulate& simulate = simulate_cohort);

// The same in a child process (fork): a run that crashes fails alone, recorded as failed with how its
// process ended ("crashed: killed by signal 11 (Segmentation fault)"). The outcome is read back from
// the folder, so it is the same as execute_run's.
Outcome execute_run_isolated(const std::string& out, const Run& run, const Simulate& simulate = simulate_cohort);

// Writes OUT/run.folder/failed.json with `error` (the folder must exist). Best effort: a folder that
// cannot be written leaves the run unfinished, and the next start redoes it.
void record_failure(const std::string& out, const Run& run, const std::string& error);

// The outcome recorded in OUT/run.folder: ok with the headline numbers, failed with the error,
// missing when the run is unfinished. A run whose scenario does not load is failed with the loader's
// message (it has no folder).
Outcome read_outcome(const std::string& out, const Run& run);

// Outcomes as compact JSON text and back, bit for bit (the MPI backend sends them to rank 0).
std::string outcome_to_json(const Outcome& outcome);
Outcome outcome_from_json(const std::string& text);

}  // namespace apical::sweep
