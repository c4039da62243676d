// apical run SCENARIO.json [--out DIR] [--threads N] [--no-analysis]: load, dispatch on the scenario's
// kind (single_cell here, bci_cohort in bci_run_command.cpp), write the results folder, print a summary.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "apical/io/bci_scenario.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/io/results.hpp"
#include "apical/io/scenario.hpp"
#include "apical/io/suggest.hpp"
#include "apical/io/summary.hpp"
#include "apical/io/units.hpp"
#include "commands.hpp"
#include "format.hpp"
#include "table.hpp"

namespace apical::cli {
namespace {

constexpr const char* run_usage = R"(usage: apical run SCENARIO.json [--out DIR] [--threads N] [--no-analysis]

Runs a scenario (format: docs/scenarios.md) and writes its results to DIR
(default: runs/<scenario file name without .json>). What it writes depends on the scenario's "kind".

single_cell:
  traces.csv    time and one column per condition and recording
  traces.h5     the same traces plus spike times, with units (HDF5)
  spikes.csv    condition,time_ms
  summary.json  spike counts, rates, latencies and recording ranges per condition
  scenario.json, cell.json   copies of the inputs

bci_cohort (a cohort of virtual mice in the BCI experiment):
  mice/mNN.h5   per mouse: setup (roles, calibration, weights) and every session's traces, trials
                and weights; written as the run goes, so a stopped run keeps its finished sessions
  days.csv      one row per mouse, day and session: trials, hits, accuracy, rewards/min, chance
                (session's own traces), chance_baseline (calibration block)
  trials.csv    one row per trial
  summary.json  run facts and per-day accuracy (mean and s.e.m. across mice)
  analysis.json the headline numbers of 'apical analyze' (unless --no-analysis)
  scenario.json, scenario_resolved.json   the input, and every setting with defaults filled in
  A progress bar (mouse-days done, ETA) is shown when stderr is a terminal.

options:
  --out DIR       output folder (created if needed; existing result files are replaced)
  --threads N     bci_cohort: worker threads, one mouse each (default: all cores); the results
                  do not depend on it
  --no-analysis   bci_cohort: skip the analysis (run 'apical analyze DIR' later)
  --help          show this help
)";

unsigned parse_threads(const std::string& text) {
  std::size_t used = 0;
  unsigned long value = 0;
  try {
    value = std::stoul(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-' || value == 0 || value > 4096)
    throw UsageError("--threads needs a whole number from 1 to 4096, got '" + text + "'");
  return static_cast<unsigned>(value);
}

RunOptions parse(const std::vector<std::string>& args) {
  RunOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--out") {
      if (i + 1 == args.size()) throw UsageError("--out needs a folder");
      options.out = args[++i];
    } else if (a.rfind("--out=", 0) == 0) {
      options.out = a.substr(6);
    } else if (a == "--threads") {
      if (i + 1 == args.size()) throw UsageError("--threads needs a number");
      options.threads = parse_threads(args[++i]);
    } else if (a.rfind("--threads=", 0) == 0) {
      options.threads = parse_threads(a.substr(10));
    } else if (a == "--no-analysis") {
      options.analysis = false;
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for 'run'" +
                       suggestion_suffix(a, {"--out", "--threads", "--no-analysis", "--help"}));
    } else if (options.scenario.empty()) {
      options.scenario = a;
    } else {
      throw UsageError("'run' takes one scenario file; got '" + options.scenario + "' and '" + a + "'");
    }
  }
  if (options.scenario.empty()) throw UsageError("'run' needs a scenario file");
  if (options.out && options.out->empty()) throw UsageError("--out needs a folder");
  return options;
}

void print_summary(const Scenario& scenario, const std::vector<ConditionSummary>& summary) {
  std::vector<std::string> header{"condition", "spikes", "rate (Hz)", "latency (ms)"};
  for (const RecordingSpec& r : scenario.protocol.recordings)
    header.push_back("peak " + r.label + " (" + recording_unit(r.variable) + ")");
  Table table(header);
  for (const ConditionSummary& s : summary) {
    std::vector<std::string> row{s.label, std::to_string(s.spike_count), fixed(s.mean_rate_hz, 2),
                                 s.first_spike_latency_ms ? fixed(*s.first_spike_latency_ms, 3) : "-"};
    for (std::size_t r = 0; r < s.ranges.size(); ++r)
      row.push_back(scenario.protocol.recordings[r].variable == "cai" ? significant(s.ranges[r].max, 4)
                                                                      : fixed(s.ranges[r].max, 2));
    table.add(std::move(row));
  }
  table.print(std::cout);
}

int run_single_cell(const RunOptions& options) {
  if (options.threads || !options.analysis)
    throw UsageError(std::string(options.threads ? "--threads" : "--no-analysis") +
                     " applies to bci_cohort scenarios only; " + options.scenario + " is a single_cell scenario");
  const Scenario scenario = load_scenario(options.scenario);
  const std::string out = options.out.value_or(
      (std::filesystem::path("runs") / std::filesystem::path(options.scenario).stem()).string());

  // Progress only for a person watching; logs and pipes stay clean.
  const bool show_progress = isatty(STDERR_FILENO) != 0;
  const auto progress = [&](double fraction) {
    if (show_progress) std::fprintf(stderr, "\r%s: %3.0f%%", scenario.name.c_str(), 100.0 * fraction);
  };
  const ProtocolResult result = run_protocol(scenario.protocol, builtin_mechanisms(), progress);
  if (show_progress) std::fprintf(stderr, "\r%*s\r", static_cast<int>(scenario.name.size()) + 8, "");

  const std::vector<std::string> files = write_run_folder(out, scenario, result);
  std::cout << scenario.name << ": " << scenario.protocol.condition_labels.size() << " condition(s), "
            << format_number(scenario.protocol.duration_ms) << " ms simulated in " << fixed(result.wall_seconds, 2)
            << " s\n\n";
  print_summary(scenario, summarise(scenario, result));
  std::cout << "\nlatency: first spike after the condition's first stimulus onset\n";
  std::cout << "wrote " << files.size() << " files to " << out << '\n';
  return 0;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << run_usage;
      return 0;
    }
  const RunOptions options = parse(args);
  const std::string kind = scenario_kind(read_json_file(options.scenario), options.scenario);
  if (kind == "bci_cohort") return run_bci_cohort(options);
  if (kind == "single_cell") return run_single_cell(options);
  throw InputError(options.scenario, "/kind",
                   "unknown scenario kind \"" + kind + "\"" + suggestion_suffix(kind, {"single_cell", "bci_cohort"}));
}

}  // namespace apical::cli
