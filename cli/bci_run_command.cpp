// apical run of a bci_cohort scenario: the cohort streamed into the run folder (io/cohort_run.hpp),
// a progress bar over mouse-days, then the analysis (analysis.json) and a per-day table.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <thread>

#include "apical/io/bci_scenario.hpp"
#include "apical/io/cohort_run.hpp"
#include "commands.hpp"
#include "format.hpp"
#include "progress_bar.hpp"
#include "table.hpp"

namespace apical::cli {
namespace {

std::string fixed_or_dash(double v) { return std::isfinite(v) ? fixed(v, 2) : "-"; }

// "chance" is the baseline chance (calibration block), the line to judge learning against; the
// session chance (own traces) follows the learnt activity and is shown beside it.
void print_days(const std::vector<DaySummary>& days) {
  Table table({"day", "mice", "accuracy (mean ± s.e.m.)", "chance", "session chance", "rewards/min (mean ± s.e.m.)"});
  for (const DaySummary& d : days)
    table.add({std::to_string(d.day), std::to_string(d.mice), mean_pm_fixed(d.accuracy_mean, d.accuracy_sem, 2),
               fixed_or_dash(d.chance_baseline_mean), fixed_or_dash(d.chance_mean),
               mean_pm_fixed(d.rewards_per_min_mean, d.rewards_per_min_sem, 2)});
  table.print(std::cout);
}

std::string count(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int run_bci_cohort(const RunOptions& options) {
  const BciScenario scenario = load_bci_scenario(options.scenario);
  const std::string out = options.out.value_or(
      (std::filesystem::path("runs") / std::filesystem::path(options.scenario).stem()).string());
  const unsigned threads = options.threads.value_or(std::max(1u, std::thread::hardware_concurrency()));
  const bci::ExperimentSpec& spec = scenario.spec;

  // One step per mouse after its calibration (day 0) and after each day.
  ProgressBar bar("mouse-days", scenario.mice * static_cast<std::size_t>(spec.schedule.days + 1),
                  isatty(STDERR_FILENO) != 0);
  CohortRunOptions run;
  run.threads = threads;
  run.progress = [&bar](std::uint64_t, int) { bar.step(); };
  const CohortRunResult result = run_cohort_folder(out, scenario, resolved_bci_scenario(scenario), run);
  bar.finish();

  std::cout << scenario.name << ": " << count(scenario.mice, "mouse", "mice") << " × "
            << count(static_cast<std::size_t>(spec.schedule.days), "day", "days") << " ("
            << count(static_cast<std::size_t>(spec.schedule.sessions_per_day), "session", "sessions") << " of "
            << significant(spec.schedule.session_min, 4) << " min per day), rule " << spec.learning.rule << ", "
            << bci::to_string(spec.teaching.feedback) << " feedback; simulated in " << fixed(result.wall_seconds, 1) << " s on "
            << count(result.threads, "thread", "threads") << "\n\n";
  print_days(result.days);

  std::vector<std::string> files = result.files;
  if (options.analysis) {
    const std::string json = (std::filesystem::path(out) / "analysis.json").string();
    std::string name;
    std::vector<analysis::NamedValue> rows;
    try {
      rows = analyze_run_folder(out, json, name);
    } catch (const std::exception& e) {
      // The simulation's files are complete; say so rather than let the failure read as a failed run.
      std::cerr << "apical: error: the analysis of " << out << " failed: " << e.what()
                << "\nThe run's other files are complete; 'apical analyze " << out << "' retries the analysis.\n";
      return 1;
    }
    files.push_back(json);
    std::cout << "\nanalysis: " << rows.size() << " headline values in analysis.json ('apical analyze " << out
              << "' prints them)\n";
  }
  std::cout << "wrote " << files.size() << " files to " << out << ":\n";
  for (const std::string& f : files)
    std::cout << "  " << std::filesystem::path(f).lexically_relative(out).generic_string() << '\n';
  return 0;
}

}  // namespace apical::cli
