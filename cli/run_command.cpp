// apical run SCENARIO.json [--out DIR]: load, simulate, write the results folder, print a summary.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "apical/io/results.hpp"
#include "apical/io/scenario.hpp"
#include "apical/io/suggest.hpp"
#include "apical/io/summary.hpp"
#include "apical/io/units.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace apical::cli {
namespace {

constexpr const char* run_usage = R"(usage: apical run SCENARIO.json [--out DIR]

Runs a single-cell scenario (format: docs/scenarios.md) and writes to DIR
(default: runs/<scenario file name without .json>):
  traces.csv    time and one column per condition and recording
  traces.h5     the same traces plus spike times, with units (HDF5)
  spikes.csv    condition,time_ms
  summary.json  spike counts, rates, latencies and recording ranges per condition
  scenario.json, cell.json   copies of the inputs

options:
  --out DIR     output folder (created if needed; existing result files are replaced)
  --help        show this help
)";

struct RunOptions {
  std::string scenario;
  std::optional<std::string> out;
};

RunOptions parse(const std::vector<std::string>& args) {
  RunOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--out") {
      if (i + 1 == args.size()) throw UsageError("--out needs a folder");
      options.out = args[++i];
    } else if (a.rfind("--out=", 0) == 0) {
      options.out = a.substr(6);
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for 'run'" + suggestion_suffix(a, {"--out", "--help"}));
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

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string significant(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return buffer;
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

}  // namespace

int run_command(const std::vector<std::string>& args) {
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << run_usage;
      return 0;
    }
  const RunOptions options = parse(args);
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

}  // namespace apical::cli
