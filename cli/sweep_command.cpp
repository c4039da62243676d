// apical sweep SWEEP.json: parameter sweeps over bci_cohort scenarios (sweep/, docs/sweeps.md), run
// on local threads, across MPI ranks, or as a Slurm job array (--emit-slurm, --run-index, --merge).
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "apical/io/input_error.hpp"
#include "apical/io/suggest.hpp"
#include "apical/sweep/run_folder.hpp"
#include "apical/sweep/slurm.hpp"
#include "apical/sweep/sweep_csv.hpp"
#include "apical/sweep/sweep_file.hpp"
#include "apical/sweep/sweep_runner.hpp"
#include "commands.hpp"
#include "progress_bar.hpp"

namespace apical::cli {
namespace {

namespace fs = std::filesystem;
using namespace apical::sweep;

constexpr const char* sweep_usage = R"(usage: apical sweep SWEEP.json [--out DIR] [--threads N]      run the sweep on this machine
       mpirun -n N apical sweep SWEEP.json [--out DIR] [--mpi]  run it across MPI ranks
       apical sweep SWEEP.json --emit-slurm DIR [--out DIR]    write a Slurm job array for it
       apical sweep SWEEP.json --run-index I [--out DIR] [--manifest FILE]
                                                              execute one run (what an array task does)
       apical sweep SWEEP.json --merge [--out DIR]             write sweep.csv from the finished runs
       apical sweep SWEEP.json --list                          print the runs without executing them

A sweep file names a base bci_cohort scenario, a grid of Cartesian and zipped axes over scenario
fields (by JSON path, e.g. "learning/rule") and a seed count; see docs/sweeps.md. Each run is
executed on one thread into DIR/runs/<hash>, a folder named by a hash of its resolved scenario (seed
included). Runs finished earlier are skipped and unfinished ones redone, so an interrupted sweep
resumes where it stopped. DIR/sweep.csv gets one row per run, in grid order: the run's axis values,
seed, folder, status (ok, failed, missing), error and headline numbers. It is the same whether the
runs were executed on 1 or N threads, N MPI ranks or a Slurm array. A run that fails (a bad value,
an error while it runs) is recorded with its error and does not stop the others.

options:
  --out DIR         the sweep's folder (default: runs/<sweep file name without .json>)
  --threads N       local worker threads, each executing one run at a time (default: all cores)
  --mpi             run across the ranks of an MPI job: rank 0 hands out runs one at a time and
                    writes sweep.csv, every rank (rank 0 too) executes runs; on by itself when
                    started by mpirun or srun with 2 or more ranks
  --emit-slurm DIR  write DIR/sweep.slurm (array task I executes run I), DIR/merge.slurm,
                    DIR/submit.sh (submits both, the merge after the array) and DIR/manifest.tsv
  --run-index I     execute run I only (0-based, grid order, as in manifest.tsv); no sweep.csv
  --manifest FILE   with --run-index: first check that FILE names the same run for I
  --merge           write DIR/sweep.csv from the run folders; runs not finished are "missing"
  --list            print index, folder, seed and axis values of every run (manifest.tsv format)
  --help            show this help

Exit codes: 0 every run ok; 1 a run failed or is missing (listed on stderr), or an output error;
2 a bad sweep file or command line.
)";

enum class Mode { run, emit_slurm, run_index, merge, list };

struct SweepCommand {
  std::string sweep;
  std::optional<std::string> out;
  std::optional<unsigned> threads;
  bool mpi = false;
  Mode mode = Mode::run;
  std::string slurm_dir;
  std::size_t run_index = 0;
  std::optional<std::string> manifest;
};

unsigned parse_threads(const std::string& text) {
  try {
    std::size_t used = 0;
    const unsigned long n = std::stoul(text, &used);
    if (used == text.size() && n >= 1 && n <= 4096 && text.find_first_not_of("0123456789") == std::string::npos)
      return static_cast<unsigned>(n);
  } catch (const std::exception&) {
  }
  throw UsageError("--threads needs a whole number from 1 to 4096, got '" + text + "'");
}

std::size_t parse_index(const std::string& text) {
  try {
    std::size_t used = 0;
    const unsigned long long n = std::stoull(text, &used);
    if (used == text.size() && text.find_first_not_of("0123456789") == std::string::npos)
      return static_cast<std::size_t>(n);
  } catch (const std::exception&) {
  }
  throw UsageError("--run-index needs a run number (0, 1, …), got '" + text + "'");
}

SweepCommand parse(const std::vector<std::string>& args, bool& help) {
  SweepCommand c;
  std::vector<std::string> modes;  // the options that choose a mode, to reject two of them
  const auto value = [&](std::size_t& i, const std::string& option) -> std::string {
    const std::string& a = args[i];
    if (a.size() > option.size() && a.compare(0, option.size() + 1, option + "=") == 0) return a.substr(option.size() + 1);
    if (i + 1 == args.size() || args[i + 1].empty()) throw UsageError(option + " needs a value");
    return args[++i];
  };
  const auto is = [](const std::string& a, const std::string& option) {
    return a == option || a.rfind(option + "=", 0) == 0;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      help = true;
      return c;
    }
    if (is(a, "--out")) {
      c.out = value(i, "--out");
    } else if (is(a, "--threads")) {
      c.threads = parse_threads(value(i, "--threads"));
    } else if (a == "--mpi") {
      c.mpi = true;
    } else if (is(a, "--emit-slurm")) {
      c.slurm_dir = value(i, "--emit-slurm");
      c.mode = Mode::emit_slurm;
      modes.push_back("--emit-slurm");
    } else if (is(a, "--run-index")) {
      c.run_index = parse_index(value(i, "--run-index"));
      c.mode = Mode::run_index;
      modes.push_back("--run-index");
    } else if (is(a, "--manifest")) {
      c.manifest = value(i, "--manifest");
    } else if (a == "--merge") {
      c.mode = Mode::merge;
      modes.push_back("--merge");
    } else if (a == "--list") {
      c.mode = Mode::list;
      modes.push_back("--list");
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for 'sweep'" +
                       suggestion_suffix(a, {"--out", "--threads", "--mpi", "--emit-slurm", "--run-index", "--manifest",
                                             "--merge", "--list", "--help"}));
    } else if (c.sweep.empty()) {
      c.sweep = a;
    } else {
      throw UsageError("'sweep' takes one sweep file; got '" + c.sweep + "' and '" + a + "'");
    }
  }
  if (c.sweep.empty()) throw UsageError("'sweep' needs a sweep file");
  if (modes.size() > 1) throw UsageError(modes[0] + " and " + modes[1] + " cannot be combined");
  if (c.mode != Mode::run && (c.threads || c.mpi))
    throw UsageError(std::string(c.threads ? "--threads" : "--mpi") + " cannot be combined with " + modes[0]);
  if (c.manifest && c.mode != Mode::run_index) throw UsageError("--manifest goes with --run-index");
  if (c.mpi && c.threads)
    throw UsageError("--threads does not apply with --mpi: every rank executes one run at a time; start more ranks");
  if (c.out && c.out->empty()) throw UsageError("--out needs a folder");
  return c;
}

std::string describe_run(const Sweep& sweep, const Run& run) {
  std::string text = "run " + std::to_string(run.index) + " (";
  const std::vector<const Axis*> axes = sweep.axes();
  for (std::size_t k = 0; k < axes.size(); ++k) text += axes[k]->label + "=" + value_text(run.values[k]) + ", ";
  return text + "seed " + std::to_string(run.seed) + ")";
}

// The closing summary; returns the exit code (1 if a run failed or is missing).
int report(const Sweep& sweep, const std::vector<Run>& runs, const std::vector<Outcome>& outcomes,
           const std::string& csv, const std::string& what) {
  std::size_t ok = 0, failed = 0, missing = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (o.status == RunStatus::ok) {
      ++ok;
      continue;
    }
    ++(o.status == RunStatus::failed ? failed : missing);
    std::cerr << describe_run(sweep, runs[i]) << ' ' << to_string(o.status) << ": " << o.error << '\n';
  }
  std::cout << "sweep " << sweep.name << ": " << runs.size() << (runs.size() == 1 ? " run" : " runs") << " ("
            << sweep.grid_points() << " grid point" << (sweep.grid_points() == 1 ? "" : "s") << " × " << sweep.seeds
            << (sweep.seeds == 1 ? " seed" : " seeds") << ")" << what << "; " << ok << " ok, " << failed << " failed";
  if (missing) std::cout << ", " << missing << " missing";
  std::cout << "\nwrote " << csv << '\n';
  if (failed || missing)
    std::cerr << "apical: sweep " << sweep.name << ": " << failed + missing << " of " << runs.size()
              << " runs did not finish ok (listed above; see the error column of " << csv << ")\n";
  return failed || missing ? 1 : 0;
}

void prepare_out(const std::string& out, const Sweep& sweep) {
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw std::runtime_error("cannot create the sweep folder " + out + ": " + ec.message());
  // A copy of the sweep file as run, beside sweep.csv (the base is in every run's scenario.json).
  const fs::path copy = fs::path(out) / "sweep.json";
  if (fs::exists(copy) && fs::equivalent(sweep.file, copy, ec)) return;
  fs::copy_file(sweep.file, copy, fs::copy_options::overwrite_existing, ec);
  if (ec) throw std::runtime_error("cannot copy " + sweep.file + " to " + copy.string() + ": " + ec.message());
}

std::string executed_text(const SweepResult& r) {
  return "; executed " + std::to_string(r.executed) + ", " + std::to_string(r.skipped) + " found finished";
}

int run_here(const SweepCommand& c, const std::string& out) {
  const Sweep sweep = load_sweep(c.sweep);
  const std::vector<Run> runs = expand(sweep);
  prepare_out(out, sweep);
  ProgressBar bar("runs", plan_runs(out, runs).pending.size(), isatty(STDERR_FILENO) != 0);
  SweepOptions options;
  options.threads = c.threads.value_or(std::max(1u, std::thread::hardware_concurrency()));
  options.progress = [&bar](std::size_t, std::size_t) { bar.step(); };
  const SweepResult result = run_local(runs, out, options);
  bar.finish();
  const std::string csv = (fs::path(out) / "sweep.csv").string();
  write_sweep_csv(csv, sweep, runs, result.outcomes);
  return report(sweep, runs, result.outcomes, csv,
                executed_text(result) + " on " + std::to_string(options.threads) + " thread" +
                    (options.threads == 1 ? "" : "s"));
}

int run_with_mpi(const SweepCommand& c, const std::string& out) {
  const MpiSession mpi;
  // Every rank reads the sweep; they agree before any work is handed out.
  std::optional<Sweep> sweep;
  std::vector<Run> runs;
  std::exception_ptr failure;
  try {
    sweep = load_sweep(c.sweep);
    runs = expand(*sweep);
    if (mpi.rank() == 0) prepare_out(out, *sweep);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!mpi.all(!failure)) {
    if (mpi.rank() == 0 && failure) std::rethrow_exception(failure);
    return 2;  // rank 0 reports it
  }
  try {
    std::optional<ProgressBar> bar;
    if (mpi.rank() == 0) bar.emplace("runs", plan_runs(out, runs).pending.size(), isatty(STDERR_FILENO) != 0);
    SweepOptions options;
    options.progress = [&bar](std::size_t, std::size_t) { bar->step(); };
    const SweepResult result = run_mpi(mpi, runs, out, options);
    if (mpi.rank() != 0) return 0;
    bar->finish();
    const std::string csv = (fs::path(out) / "sweep.csv").string();
    write_sweep_csv(csv, *sweep, runs, result.outcomes);
    return report(*sweep, runs, result.outcomes, csv,
                  executed_text(result) + " on " + std::to_string(mpi.size()) + " MPI rank" +
                      (mpi.size() == 1 ? "" : "s"));
  } catch (const std::exception& e) {
    std::cerr << "apical: error: rank " << mpi.rank() << ": " << e.what() << '\n';
    mpi.abort(1);
  }
}

int run_one(const SweepCommand& c, const std::string& out) {
  const Sweep sweep = load_sweep(c.sweep);
  if (c.run_index >= sweep.runs())
    throw UsageError("--run-index " + std::to_string(c.run_index) + " is out of range: the sweep has " +
                     std::to_string(sweep.runs()) + " runs (0 … " + std::to_string(sweep.runs() - 1) + ")");
  const std::vector<Run> runs = expand(sweep);
  const Run& run = runs[c.run_index];
  if (c.manifest) check_manifest(*c.manifest, run);
  if (!run.loads()) {
    std::cerr << "apical: " << describe_run(sweep, run) << " failed: " << run.error << '\n';
    return 1;
  }
  for (const Run& earlier : runs) {
    if (earlier.index == run.index) break;
    if (earlier.loads() && earlier.folder == run.folder) {
      std::cout << describe_run(sweep, run) << ": the same scenario as run " << earlier.index << " (" << run.folder
                << "), which executes it\n";
      return 0;
    }
  }
  const std::string folder = (fs::path(out) / run.folder).string();
  if (run_finished(out, run)) {
    std::cout << describe_run(sweep, run) << ": finished earlier in " << folder << '\n';
    return 0;
  }
  std::error_code ec;
  fs::create_directories(out, ec);
  const Outcome outcome = execute_run(out, run);
  if (outcome.status != RunStatus::ok) {
    std::cerr << "apical: " << describe_run(sweep, run) << " failed: " << outcome.error << '\n';
    return 1;
  }
  std::cout << describe_run(sweep, run) << ": ok, " << folder << '\n';
  return 0;
}

int merge(const SweepCommand& c, const std::string& out) {
  const Sweep sweep = load_sweep(c.sweep);
  const std::vector<Run> runs = expand(sweep);
  if (!fs::is_directory(out)) throw InputError(out, "", "no such folder (the sweep's --out)");
  const std::vector<Outcome> outcomes = assemble_outcomes(out, runs, {});
  const std::string csv = (fs::path(out) / "sweep.csv").string();
  write_sweep_csv(csv, sweep, runs, outcomes);
  return report(sweep, runs, outcomes, csv, " merged from " + out);
}

int emit(const SweepCommand& c, const std::string& out) {
  const Sweep sweep = load_sweep(c.sweep);
  const std::vector<Run> runs = expand(sweep);
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  SlurmJob job{ec ? std::string("apical") : self.string(), c.sweep, out, c.slurm_dir};
  const std::vector<std::string> files = emit_slurm(job, sweep, runs);
  std::cout << "sweep " << sweep.name << ": " << runs.size() << (runs.size() == 1 ? " run" : " runs")
            << " as a Slurm job array; wrote\n";
  for (const std::string& f : files) std::cout << "  " << f << '\n';
  std::cout << "submit with: " << files[2] << " [sbatch options such as --time=04:00:00 --partition=NAME]\n";
  return 0;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  bool help = false;
  const SweepCommand c = parse(args, help);
  if (help) {
    std::cout << sweep_usage;
    return 0;
  }
  const std::string out =
      c.out.value_or((fs::path("runs") / fs::path(c.sweep).stem()).string());
  switch (c.mode) {
    case Mode::emit_slurm: return emit(c, out);
    case Mode::run_index: return run_one(c, out);
    case Mode::merge: return merge(c, out);
    case Mode::list: {
      const Sweep sweep = load_sweep(c.sweep);
      std::cout << manifest_text(sweep, expand(sweep));
      return 0;
    }
    case Mode::run: break;
  }
  const int world = launcher_world_size();
  if (c.mpi || world > 1) {
    if (!mpi_built_in())
      throw UsageError(std::string(c.mpi ? "--mpi" : "started by an MPI launcher with " + std::to_string(world) +
                                                         " processes, but") +
                       ": this apical is built without MPI (install openmpi-bin and libopenmpi-dev and build again), "
                       "so every process would run the whole sweep; run it with --threads N or --emit-slurm DIR");
    if (c.threads)
      throw UsageError("--threads does not apply under MPI: every rank executes one run at a time; start more ranks");
    return run_with_mpi(c, out);
  }
  return run_here(c, out);
}

}  // namespace apical::cli
