#pragma once
// The subcommands of the `apical` executable. Each returns the process exit code.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "apical/analysis/cohort_analysis.hpp"

namespace apical::cli {

// A malformed command line; main prints it with a pointer to --help and exits with code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The options of `apical run`.
struct RunOptions {
  std::string scenario;
  std::optional<std::string> out;
  std::optional<unsigned> threads;  // bci_cohort only; default: hardware concurrency
  bool analysis = true;             // bci_cohort only: --no-analysis clears it
};

int run_command(const std::vector<std::string>& args);
int mechanisms_command(const std::vector<std::string>& args);
int analyze_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);  // sweep_command.cpp
int morphology_command(const std::vector<std::string>& args);
int plot_command(const std::vector<std::string>& args);  // plot_command.cpp
int render_command(const std::vector<std::string>& args);  // render_command.cpp
int export_command(const std::vector<std::string>& args);  // export_command.cpp
int stream_command(const std::vector<std::string>& args);  // stream_command.cpp
int rig_command(const std::vector<std::string>& args);     // rig_command.cpp
int display_command(const std::vector<std::string>& args); // display_command.cpp

// `apical run` of a bci_cohort scenario (bci_run_command.cpp).
int run_bci_cohort(const RunOptions& options);

// Reads a cohort run folder, analyses it and writes the analysis JSON to `json_path`; returns the
// headline rows. `scenario` receives the scenario name recorded in the folder.
std::vector<analysis::NamedValue> analyze_run_folder(const std::string& folder, const std::string& json_path,
                                                     std::string& scenario);

}  // namespace apical::cli
