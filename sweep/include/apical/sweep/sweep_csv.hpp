#pragma once
// sweep.csv and the run manifest (docs/sweeps.md, "Reading sweep.csv").
//
// sweep.csv: one row per run in grid order, whatever order the runs finished in:
//   run,<one column per grid axis>,seed,folder,status,error,<headline_columns()>
// Axis values as written in the sweep file (strings bare, other values as compact JSON), numbers in
// their shortest round-trip form ("nan" where undefined or the run did not finish), errors on one line.
// Fields holding a comma, a quote or a line break are quoted as in RFC 4180.
//
// manifest.tsv (for Slurm arrays): one line per run, tab-separated, after a header line:
//   index  folder  seed  <one column per grid axis>
#include <string>
#include <vector>

#include "apical/sweep/run_folder.hpp"
#include "apical/sweep/sweep_file.hpp"

namespace apical::sweep {

std::string sweep_csv_text(const Sweep& sweep, const std::vector<Run>& runs, const std::vector<Outcome>& outcomes);

// Writes sweep_csv_text to `path` through a temporary file and a rename.
void write_sweep_csv(const std::string& path, const Sweep& sweep, const std::vector<Run>& runs,
                     const std::vector<Outcome>& outcomes);

std::string manifest_text(const Sweep& sweep, const std::vector<Run>& runs);

// A CSV field, quoted if needed.
std::string csv_field(const std::string& text);

}  // namespace apical::sweep
