#pragma once
// Slurm job arrays for clusters without MPI jobs (docs/sweeps.md, "On a Slurm cluster"):
//
//   DIR/sweep.slurm   the array: task I runs 'apical sweep SWEEP --out OUT --run-index I --manifest …'
//   DIR/merge.slurm   'apical sweep SWEEP --out OUT --merge': sweep.csv from the finished folders
//   DIR/submit.sh     submits the array, then the merge with --dependency=afterany on it
//   DIR/manifest.tsv  one line per run (sweep_csv.hpp): what array index I runs
//   DIR/logs/         one log per task
//
// Paths in the scripts are absolute, so the cluster must see the same apical, sweep file and OUT
// (a shared file system).
#include <string>
#include <vector>

#include "apical/sweep/sweep_file.hpp"

namespace apical::sweep {

struct SlurmJob {
  std::string apical;  // the apical executable
  std::string sweep;   // the sweep file
  std::string out;     // the sweep's output folder
  std::string dir;     // where the scripts go
};

// The texts of the three scripts (absolute paths taken as given).
std::string slurm_array_script(const SlurmJob& job, const Sweep& sweep);
std::string slurm_merge_script(const SlurmJob& job, const Sweep& sweep);
std::string slurm_submit_script(const SlurmJob& job);

// Writes the files above (paths made absolute first); returns the paths written.
std::vector<std::string> emit_slurm(SlurmJob job, const Sweep& sweep, const std::vector<Run>& runs);

// Checks that line `run.index` of a manifest names the run's folder, i.e. that the sweep file and its
// base scenario have not changed since the manifest was written. Throws std::runtime_error otherwise.
void check_manifest(const std::string& manifest, const Run& run);

// A word for a POSIX shell: 'text', with ' written as '\''.
std::string shell_quote(const std::string& text);

}  // namespace apical::sweep
