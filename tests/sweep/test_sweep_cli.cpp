// apical sweep end to end on real (tiny) cohorts: the same sweep.csv from 1 thread, 2 threads,
// mpirun -n 2 and a Slurm array (--run-index for every run, then --merge); the scripts --emit-slurm
// writes; resume; exit codes and messages.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "apical/sweep/sweep_csv.hpp"
#include "apical/sweep/sweep_file.hpp"
#include "apical/sweep/sweep_runner.hpp"
#include "sweep_test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

struct Outcome {
  int exit_code;
  std::string out, err;
};

// Runs `PREFIX apical ARGS` in `folder`, stdout and stderr captured there; 120-s limit.
Outcome shell(const std::string& prefix, const std::string& args, const apical::test::TempDir& folder) {
  const std::string command = "cd '" + folder.path().string() + "' && " + prefix + "timeout 120 '" + APICAL_CLI_PATH +
                              "' " + args + " > stdout.txt 2> stderr.txt";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return {WEXITSTATUS(status), apical::test::read_text(folder.file("stdout.txt")),
          apical::test::read_text(folder.file("stderr.txt"))};
}

Outcome apical_cli(const std::string& args, const apical::test::TempDir& folder) { return shell("", args, folder); }

// The MPI launcher, or "" with the reason in `why`.
std::string mpirun(std::string& why) {
  if (!apical::sweep::mpi_built_in()) {
    why = "this build has no MPI backend (MPI was not found at configure time)";
    return "";
  }
  const std::string launcher = APICAL_MPIEXEC;
  if (launcher.empty() || !fs::exists(launcher)) {
    why = "mpirun is missing (install openmpi-bin)";
    return "";
  }
  return launcher;
}

// 3 rules (R9 does not exist) × 2 seeds = 6 runs, 4 of them executed: about a second each way.
struct SweepDir : apical::test::TempDir {
  SweepDir() {
    write("base.json", apical::test::tiny_sweep_base);
    write("sweep.json", apical::test::sweep_json(R"([{"path": "learning/rule", "values": ["R0", "R3", "R9"]}])", 2));
  }
};

std::size_t lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("apical sweep: sweep.csv is bit-identical for 1 thread, 2 threads, mpirun -n 2 and a Slurm array",
          "[sweep][cli]") {
  const SweepDir f;
  const Outcome one = apical_cli("sweep sweep.json --out one --threads 1", f);
  INFO(one.out << one.err);
  CHECK(one.exit_code == 1);  // R9 fails
  CHECK_THAT(one.out, StartsWith("sweep sweep: 6 runs (3 grid points × 2 seeds); executed 4, 0 found finished on 1 "
                                 "thread; 4 ok, 2 failed\nwrote one/sweep.csv\n"));
  CHECK_THAT(one.err, Contains("run 4 (learning/rule=R9, seed 1) failed: run 4: /learning/rule: unknown value \"R9\""));
  CHECK_THAT(one.err, EndsWith("apical: sweep sweep: 2 of 6 runs did not finish ok (listed above; see the error "
                               "column of one/sweep.csv)\n"));
  const std::string csv = apical::test::read_text(f.file("one/sweep.csv"));
  CHECK(lines(csv) == 7);
  CHECK_THAT(csv, Contains("\n0,R0,1,runs/") && Contains(",ok,,2,") && Contains("\n5,R9,2,,failed,"));
  CHECK(fs::exists(f.path() / "one" / "sweep.json"));

  // A finished run folder: the run as 'apical run' writes it, plus the marker.
  const auto runs = apical::sweep::expand(apical::sweep::load_sweep(f.file("sweep.json")));
  for (const char* name : {"scenario.json", "scenario_resolved.json", "mice/m00.h5", "days.csv", "trials.csv",
                           "summary.json", "analysis.json", "complete.json"})
    CHECK(fs::exists(f.path() / "one" / runs[3].folder / name));

  const Outcome two = apical_cli("sweep sweep.json --out two --threads 2", f);
  CHECK(two.exit_code == 1);
  CHECK(apical::test::read_text(f.file("two/sweep.csv")) == csv);

  // Resume: nothing left to execute, the same table.
  const Outcome again = apical_cli("sweep sweep.json --out two --threads 2", f);
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.out, Contains("executed 0, 4 found finished"));
  CHECK(apical::test::read_text(f.file("two/sweep.csv")) == csv);

  // Slurm: every array task, then the merge.
  const Outcome emitted = apical_cli("sweep sweep.json --out slurm --emit-slurm jobs", f);
  REQUIRE(emitted.exit_code == 0);
  for (std::size_t i = 0; i < 6; ++i) {
    const Outcome task = apical_cli("sweep sweep.json --out slurm --run-index " + std::to_string(i) +
                                        " --manifest jobs/manifest.tsv", f);
    INFO("run " << i << ": " << task.out << task.err);
    CHECK(task.exit_code == (i >= 4 ? 1 : 0));
  }
  const Outcome merged = apical_cli("sweep sweep.json --out slurm --merge", f);
  CHECK(merged.exit_code == 1);
  CHECK_THAT(merged.out, Contains("merged from slurm; 4 ok, 2 failed"));
  CHECK(apical::test::read_text(f.file("slurm/sweep.csv")) == csv);

  std::string why;
  const std::string launcher = mpirun(why);
  if (launcher.empty()) {
    WARN("mpirun -n 2 part skipped: " << why);
    return;
  }
  const Outcome mpi = shell("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 '" +
                                launcher + "' -n 2 ",
                            "sweep sweep.json --out mpi", f);
  INFO(mpi.out << mpi.err);
  CHECK(mpi.exit_code == 1);
  CHECK_THAT(mpi.out, Contains("executed 4, 0 found finished on 2 MPI ranks; 4 ok, 2 failed"));
  CHECK(apical::test::read_text(f.file("mpi/sweep.csv")) == csv);
}

TEST_CASE("apical sweep --emit-slurm writes the array, merge and submit scripts and the manifest", "[sweep][cli]") {
  const SweepDir f;
  const Outcome emitted = apical_cli("sweep sweep.json --out results --emit-slurm jobs", f);
  INFO(emitted.out << emitted.err);
  REQUIRE(emitted.exit_code == 0);
  const std::string root = fs::canonical(f.path()).string();
  CHECK_THAT(emitted.out, StartsWith("sweep sweep: 6 runs as a Slurm job array; wrote\n  " + root + "/jobs/sweep.slurm\n"));
  CHECK_THAT(emitted.out, Contains("submit with: " + root + "/jobs/submit.sh"));

  const std::string array = apical::test::read_text(f.file("jobs/sweep.slurm"));
  CHECK_THAT(array, StartsWith("#!/bin/bash\n"));
  CHECK_THAT(array, Contains("\n#SBATCH --array=0-5\n") && Contains("\n#SBATCH --cpus-per-task=1\n") &&
                        Contains("\n#SBATCH --output=" + root + "/jobs/logs/run-%a.log\n"));
  CHECK_THAT(array, Contains(std::string("exec '") + APICAL_CLI_PATH + "' sweep '" + root + "/sweep.json' --out '" + root +
                             "/results' --run-index \"$SLURM_ARRAY_TASK_ID\" --manifest '" + root + "/jobs/manifest.tsv'\n"));
  const std::string merge = apical::test::read_text(f.file("jobs/merge.slurm"));
  CHECK_THAT(merge, EndsWith("sweep '" + root + "/sweep.json' --out '" + root + "/results' --merge\n"));
  const std::string submit = apical::test::read_text(f.file("jobs/submit.sh"));
  CHECK_THAT(submit, Contains("sbatch --parsable \"$@\" '" + root + "/jobs/sweep.slurm'") &&
                         Contains("sbatch --dependency=afterany:\"$array\" \"$@\" '" + root + "/jobs/merge.slurm'"));
  CHECK((fs::status(f.path() / "jobs/submit.sh").permissions() & fs::perms::owner_exec) != fs::perms::none);
  CHECK(fs::is_directory(f.path() / "jobs/logs"));

  const std::string manifest = apical::test::read_text(f.file("jobs/manifest.tsv"));
  CHECK(lines(manifest) == 7);
  CHECK_THAT(manifest, StartsWith("index\tfolder\tseed\tlearning/rule\n0\truns/"));
  CHECK_THAT(manifest, EndsWith("\n5\t-\t2\tR9\n"));
  const Outcome listed = apical_cli("sweep sweep.json --list", f);
  CHECK(listed.exit_code == 0);
  CHECK(listed.out == manifest);

  // A task of a finished or invalid run, or of a changed sweep, does not simulate anything.
  const Outcome bad = apical_cli("sweep sweep.json --out results --run-index 4 --manifest jobs/manifest.tsv", f);
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, StartsWith("apical: run 4 (learning/rule=R9, seed 1) failed: run 4: /learning/rule:"));
  const Outcome out_of_range = apical_cli("sweep sweep.json --run-index 6", f);
  CHECK(out_of_range.exit_code == 2);
  CHECK_THAT(out_of_range.err, Contains("--run-index 6 is out of range: the sweep has 6 runs (0 … 5)"));
  f.write("sweep.json", apical::test::sweep_json(R"([{"path": "learning/rule", "values": ["R3", "R0", "R9"]}])", 2));
  const Outcome changed = apical_cli("sweep sweep.json --out results --run-index 0 --manifest jobs/manifest.tsv", f);
  CHECK(changed.exit_code == 1);
  CHECK_THAT(changed.err, Contains("jobs/manifest.tsv: run 0 is runs/") &&
                              Contains("the sweep or its base scenario changed since the manifest was written"));
  CHECK_FALSE(fs::exists(f.path() / "results"));

  const Outcome merged = apical_cli("sweep sweep.json --out jobs --merge", f);  // nothing run there
  CHECK(merged.exit_code == 1);
  CHECK_THAT(merged.out, Contains("0 ok, 2 failed, 4 missing"));
  CHECK_THAT(merged.err, Contains("run 0 (learning/rule=R3, seed 1) missing: not run"));
}

TEST_CASE("apical sweep: help, bad command lines and bad sweep files", "[sweep][cli]") {
  const SweepDir f;
  const Outcome help = apical_cli("sweep --help", f);
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Contains("usage: apical sweep SWEEP.json") && Contains("--emit-slurm DIR") &&
                           Contains("mpirun -n N apical sweep") && Contains("docs/sweeps.md"));
  const Outcome top = apical_cli("--help", f);
  CHECK_THAT(top.out, Contains("apical sweep SWEEP.json"));
  const Outcome typo = apical_cli("sweep sweep.json --thread 2", f);
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Contains("unknown option '--thread' for 'sweep'; did you mean '--threads'?"));
  const Outcome both = apical_cli("sweep sweep.json --merge --list", f);
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err, Contains("--merge and --list cannot be combined"));
  const Outcome mpi_threads = apical_cli("sweep sweep.json --mpi --threads 2", f);
  CHECK(mpi_threads.exit_code == 2);
  CHECK_THAT(mpi_threads.err, Contains("--threads does not apply with --mpi"));
  const Outcome none = apical_cli("sweep", f);
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("'sweep' needs a sweep file"));

  f.write("typo.json", apical::test::sweep_json(R"([{"path": "learning/rul", "values": ["R3"]}])", 1));
  const Outcome bad = apical_cli("sweep typo.json", f);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "apical: error: typo.json: /grid/0/path: unknown scenario key 'rul' in /learning; did you mean "
                   "'rule'?\n");
  CHECK_FALSE(fs::exists(f.path() / "runs"));
}
