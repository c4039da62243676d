// apical analyze RUN_DIR [--json PATH]: the analyses of experiment.md §4–§9 on the mice/*.h5 files of a
// bci_cohort run folder; writes analysis.json and prints the headline numbers.
#include <filesystem>
#include <iostream>

#include "apical/io/analysis_json.hpp"
#include "apical/io/run_cohort_reader.hpp"
#include "apical/io/suggest.hpp"
#include "commands.hpp"
#include "headline_table.hpp"

namespace apical::cli {
namespace {

constexpr const char* analyze_usage = R"(usage: apical analyze RUN_DIR [--json PATH]

Reads the mice/*.h5 files of a bci_cohort run folder (written by 'apical run'), runs every cohort
analysis (learning curves, transient rates by role, soma-dendrite residuals, residual contrast,
outcome decoding, early contrast vs later change) and prints the headline numbers.

Writes RUN_DIR/analysis.json: {"format": "apical-analysis", "format_version": 1, "run", "scenario",
"apical_version", "values": {name: number, or null where undefined}} (docs/scenarios.md).

options:
  --json PATH   write the analysis there instead of RUN_DIR/analysis.json
  --help        show this help
)";

}  // namespace

std::vector<analysis::NamedValue> analyze_run_folder(const std::string& folder, const std::string& json_path,
                                                     std::string& scenario) {
  const analysis::Cohort cohort = read_run_cohort(folder);
  scenario = cohort.name;
  std::vector<analysis::NamedValue> rows = analysis::headline_rows(analysis::analyze_cohort(cohort));
  write_analysis_json(json_path, folder, scenario, rows);
  return rows;
}

int analyze_command(const std::vector<std::string>& args) {
  std::string folder;
  std::string json;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << analyze_usage;
      return 0;
    }
    if (a == "--json") {
      if (i + 1 == args.size() || args[i + 1].empty()) throw UsageError("--json needs a file");
      json = args[++i];
    } else if (a.rfind("--json=", 0) == 0) {
      json = a.substr(7);
      if (json.empty()) throw UsageError("--json needs a file");
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for 'analyze'" + suggestion_suffix(a, {"--json", "--help"}));
    } else if (folder.empty()) {
      folder = a;
    } else {
      throw UsageError("'analyze' takes one run folder; got '" + folder + "' and '" + a + "'");
    }
  }
  if (folder.empty()) throw UsageError("'analyze' needs a run folder");
  if (json.empty()) json = (std::filesystem::path(folder) / "analysis.json").string();

  std::string scenario;
  const std::vector<analysis::NamedValue> rows = analyze_run_folder(folder, json, scenario);
  std::cout << scenario << ": analysis of " << folder << " (- = undefined)\n\n";
  print_headline(std::cout, rows);
  std::cout << "\nwrote " << json << '\n';
  return 0;
}

}  // namespace apical::cli
