// apical export RUN_DIR [--out DIR] [--every N]: ParaView files (.vtp per time step, .pvd collections)
// of a single-cell or bci_cohort run folder.
#include <filesystem>
#include <optional>
#include <iostream>

#include "apical/io/input_error.hpp"
#include "apical/io/suggest.hpp"
#include "apical/viz/paraview_export.hpp"
#include "commands.hpp"

namespace apical::cli {
namespace {

constexpr const char* export_usage = R"(usage: apical export RUN_DIR [--out DIR] [--every N]

Writes a run folder as ParaView files (docs/pictures.md): one .vtp file (VTK XML poly data) per time
step and a .pvd collection to open in ParaView as one time series.

single-cell run folder (the scenario needs "record_segments"): per condition COND.pvd and
  COND/step_NNNNN.vtp, time in ms: the segments as lines (the real shape of a cell imported from a
  morphology, else the schematic layout) with point data radius_um (apply ParaView's Tube filter,
  Vary Radius: By Absolute Scalar) and cell data section, x, v_mV, cai_mM, dff (those recorded)
bci_cohort run folder: per mouse mNN.pvd and mNN/dayDD_sS.vtp, time in days: one point per neuron at
  its schematic position with role (0 P+, 1 P-, 2 P0), role_colour, rate_hz, event_rate_hz,
  burst_rate_hz, mean_soma_dff and mean_weight_pA_per_Hz of each session

options:
  --out DIR     output folder (default: RUN_DIR/paraview)
  --every N     single-cell runs: every N-th recorded sample (default: at most 200 steps)
  --help        show this help
)";

}  // namespace

int export_command(const std::vector<std::string>& args) {
  std::string run_dir;
  std::optional<std::string> out;
  std::optional<std::size_t> every;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << export_usage;
      return 0;
    }
    if (a == "--out" || a == "--every") {
      if (i + 1 == args.size()) throw UsageError(a + " needs a value");
      const std::string& v = args[++i];
      if (a == "--out") {
        out = v;
        continue;
      }
      std::size_t used = 0;
      unsigned long n = 0;
      try {
        n = std::stoul(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || v.empty() || v[0] == '-' || n == 0)
        throw UsageError("--every needs a whole number of at least 1, got '" + v + "'");
      every = n;
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for 'export'" + suggestion_suffix(a, {"--out", "--every", "--help"}));
    } else if (run_dir.empty()) {
      run_dir = a;
    } else {
      throw UsageError("'export' takes one run folder; got '" + run_dir + "' and '" + a + "'");
    }
  }
  if (run_dir.empty()) throw UsageError("'export' needs a run folder");
  namespace fs = std::filesystem;
  if (!fs::is_directory(run_dir)) throw InputError(run_dir, "", "no such run folder");
  const std::string folder = out.value_or((fs::path(run_dir) / "paraview").string());
  std::vector<std::string> written;
  if (fs::exists(fs::path(run_dir) / "mice")) {
    if (every) throw UsageError("--every applies to single-cell run folders");
    written = viz::export_cohort_run(run_dir, folder);
  } else {
    const viz::CellRun run = viz::load_cell_run(run_dir);
    written = viz::export_cell_run(run, folder, every.value_or(viz::default_stride(run.recording.time_ms.size())));
  }
  std::cout << "wrote " << written.size() << " ParaView collection(s) to " << folder << ":\n";
  for (const std::string& f : written) std::cout << "  " << fs::path(f).filename().string() << '\n';
  return 0;
}

}  // namespace apical::cli
