#pragma once
// Reads the mice/*.h5 files of a BCI cohort run folder back into the analyses' input
// (analysis::Cohort), through the mouse-file layout of bci_mouse_file.hpp. `apical analyze` uses it;
// rig recordings (NWB) will feed the same analysis::Cohort through their own reader.
//
// Every problem is an InputError naming the folder or file (and the HDF5 path inside it): a missing
// folder, a folder without mice/*.h5, a truncated or foreign file, a missing or short dataset.
#include <string>
#include <vector>

#include "apical/analysis/session.hpp"

namespace apical {

// mice/mNN.h5 of the folder, in mouse order. InputError if the folder or its mouse files are missing.
std::vector<std::string> run_folder_mouse_files(const std::string& folder);

// Every complete session of every mouse, in mouse, day and session order. The cohort is named after
// the scenario recorded in the first mouse file.
analysis::Cohort read_run_cohort(const std::string& folder);

}  // namespace apical
