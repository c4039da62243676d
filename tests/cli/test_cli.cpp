// The `apical` executable end to end: help, version, listings, a short run, and input errors
// reported as "apical: error: ..." with exit code 2.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "../io/io_test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

struct Outcome {
  int exit_code;
  std::string out, err;
};

// Runs `apical ARGS` in `folder` with stdout and stderr captured to files there.
Outcome apical_cli(const std::string& args, const apical::test::TempDir& folder) {
  const std::string command = "cd '" + folder.path().string() + "' && '" + APICAL_CLI_PATH + "' " + args +
                              " > stdout.txt 2> stderr.txt";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  return {WEXITSTATUS(status), apical::test::read_text(folder.file("stdout.txt")),
          apical::test::read_text(folder.file("stderr.txt"))};
}

// A 10-ms run of the tiny test cell with two conditions.
std::string tiny_scenario(const std::string& amplitude_key = "amplitude") {
  return R"~({
    "format": "apical-scenario", "format_version": 1, "kind": "single_cell", "cell": "cells/tiny.json",
    "simulation": {"duration": "10 ms", "dt": "0.025 ms", "record_interval": "0.1 ms"},
    "conditions": [
      {"label": "off"},
      {"label": "on", "stimuli": [{"type": "current_step", "site": "soma(0.5)", ")~" + amplitude_key + R"~(": "1 nA",
                                   "start": "1 ms", "duration": "5 ms"}]}],
    "recordings": [{"site": "soma(0.5)"}, {"site": "dend(0.5)", "variable": "cai"}]
  })~";
}

struct Folder : apical::test::TempDir {
  Folder() { write("cells/tiny.json", apical::test::tiny_cell_json); }
};

}  // namespace

TEST_CASE("apical --help, --version and no arguments", "[cli]") {
  const Folder f;
  const Outcome help = apical_cli("--help", f);
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Contains("usage:") && Contains("apical run SCENARIO.json"));
  const Outcome version = apical_cli("--version", f);
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, StartsWith("apical "));
  const Outcome none = apical_cli("", f);
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("usage:"));
  const Outcome run_help = apical_cli("run --help", f);
  CHECK(run_help.exit_code == 0);
  CHECK_THAT(run_help.out, Contains("--out DIR"));
}

TEST_CASE("apical mechanisms lists the registry", "[cli]") {
  const Folder f;
  const Outcome all = apical_cli("mechanisms", f);
  CHECK(all.exit_code == 0);
  CHECK_THAT(all.out, Contains("nat (density channel)") && Contains("iclamp (point process)") && Contains("S/cm2"));
  const Outcome one = apical_cli("mechanisms cad", f);
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.out, Contains("taur") && Contains("ms"));
  const Outcome typo = apical_cli("mechanisms kfats", f);
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, StartsWith("apical: error: unknown mechanism 'kfats'; did you mean 'kfast'?"));
}

TEST_CASE("apical run writes the results folder", "[cli]") {
  const Folder f;
  f.write("tiny_run.json", tiny_scenario());
  const Outcome run = apical_cli("run tiny_run.json --out results", f);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());  // progress goes to a terminal only
  CHECK_THAT(run.out, Contains("condition") && Contains("spikes") && Contains("on") && Contains("results"));
  for (const char* name : {"traces.csv", "traces.h5", "spikes.csv", "summary.json", "scenario.json", "cell.json"})
    CHECK(std::filesystem::exists(f.path() / "results" / name));
  const auto summary = nlohmann::json::parse(apical::test::read_text(f.file("results/summary.json")));
  REQUIRE(summary["conditions"].size() == 2);
  CHECK(summary["conditions"][0]["spike_count"] == 0);
  CHECK(summary["conditions"][1]["spike_count"].get<int>() >= 1);  // 1 nA into a 20-um hh soma fires
  CHECK(summary["scenario"] == "tiny_run");
}

TEST_CASE("apical run defaults to runs/<scenario name>", "[cli]") {
  const Folder f;
  f.write("scen/short.json", tiny_scenario().replace(tiny_scenario().find("cells/"), 6, "../cells/"));
  const Outcome run = apical_cli("run scen/short.json", f);
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(std::filesystem::exists(f.path() / "runs/short/summary.json"));
}

TEST_CASE("bad input: exit code 2 and a located message", "[cli]") {
  const Folder f;
  f.write("typo.json", tiny_scenario("amplitud"));
  const Outcome typo = apical_cli("run typo.json --out typo_out", f);
  CHECK(typo.exit_code == 2);
  CHECK(typo.err == "apical: error: typo.json: /conditions/1/stimuli/0/amplitud: unknown key 'amplitud'; "
                    "did you mean 'amplitude'?\n");
  CHECK_FALSE(std::filesystem::exists(f.path() / "typo_out"));

  const Outcome missing = apical_cli("run nothere.json", f);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "apical: error: nothere.json: cannot open the file\n");

  f.write("broken.json", "{\"format\": ");
  const Outcome broken = apical_cli("run broken.json", f);
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.err, StartsWith("apical: error: broken.json: invalid JSON"));

  const Outcome command = apical_cli("runn x.json", f);
  CHECK(command.exit_code == 2);
  CHECK_THAT(command.err, StartsWith("apical: error: unknown command 'runn'; did you mean 'run'?"));

  const Outcome option = apical_cli("run typo.json --output x", f);
  CHECK(option.exit_code == 2);
  CHECK_THAT(option.err, Contains("unknown option '--output'"));

  const Outcome no_file = apical_cli("run", f);
  CHECK(no_file.exit_code == 2);
  CHECK_THAT(no_file.err, Contains("needs a scenario file"));
}

namespace {

// 2 mice of 16 neurons, 2 days of one 1-min session, no chance level: a couple of seconds.
constexpr const char* tiny_bci_scenario = R"~({
  "format": "apical-scenario", "format_version": 1, "kind": "bci_cohort", "name": "tiny_bci",
  "cohort": {"mice": 2},
  "seed": 2026,
  "field_of_view": {"n_plus": 3, "n_minus": 3, "n_zero": 10},
  "loop": {"chance_repetitions": 0},
  "schedule": {"days": 2, "session": "1 min", "calibration": "5 min"}
})~";

}  // namespace

TEST_CASE("apical run of a bci_cohort scenario writes the run folder and its analysis", "[cli][bci]") {
  const Folder f;
  f.write("tiny_bci.json", tiny_bci_scenario);
  const Outcome run = apical_cli("run tiny_bci.json --out cohort --threads 2", f);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());  // the progress bar only on a terminal
  CHECK_THAT(run.out, StartsWith("tiny_bci: 2 mice × 2 days") && Contains("accuracy (mean ± s.e.m.)") &&
                          Contains("chance  session chance") && Contains("mice/m01.h5") && Contains("analysis.json"));
  CHECK_THAT(apical::test::read_text(f.file("cohort/days.csv")),
             StartsWith("mouse,day,session,trials,hits,misses,accuracy,rewards_per_min,chance,chance_baseline,"));
  for (const char* name : {"scenario.json", "scenario_resolved.json", "mice/m00.h5", "mice/m01.h5", "days.csv",
                           "trials.csv", "summary.json", "analysis.json"})
    CHECK(std::filesystem::exists(f.path() / "cohort" / name));
  const auto summary = nlohmann::json::parse(apical::test::read_text(f.file("cohort/summary.json")));
  CHECK(summary["mice"] == 2);
  CHECK(summary["per_day"].size() == 2);
  CHECK(summary["per_day"][0]["chance_baseline_mean"].is_null());  // chance_repetitions = 0
  const auto resolved = nlohmann::json::parse(apical::test::read_text(f.file("cohort/scenario_resolved.json")));
  CHECK(resolved["kind"] == "bci_cohort");
  const std::string analysis = apical::test::read_text(f.file("cohort/analysis.json"));
  const auto values = nlohmann::json::parse(analysis)["values"];
  CHECK(values["cohort.mice"] == 2);
  CHECK(values["cohort.sessions"] == 4);

  // apical analyze reads the same folder back to the same numbers.
  const Outcome analyze = apical_cli("analyze cohort", f);
  INFO(analyze.err);
  REQUIRE(analyze.exit_code == 0);
  CHECK_THAT(analyze.out, StartsWith("tiny_bci: analysis of cohort") && Contains("learning by day") &&
                              Contains("chance_baseline") && Contains("  day 2") &&
                              Contains("wrote cohort/analysis.json"));
  CHECK(apical::test::read_text(f.file("cohort/analysis.json")) == analysis);
  const Outcome elsewhere = apical_cli("analyze cohort --json other.json", f);
  CHECK(elsewhere.exit_code == 0);
  CHECK(std::filesystem::exists(f.path() / "other.json"));

  // --no-analysis leaves no analysis.json behind, not even an earlier one.
  const Outcome quick = apical_cli("run tiny_bci.json --out cohort --threads 1 --no-analysis", f);
  CHECK(quick.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(f.path() / "cohort/analysis.json"));
}

TEST_CASE("apical analyze: bad run folders exit with code 2 and a message", "[cli][bci]") {
  const Folder f;
  const Outcome missing = apical_cli("analyze nothere", f);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "apical: error: nothere: no such folder\n");

  const Outcome plain = apical_cli("analyze cells", f);
  CHECK(plain.exit_code == 2);
  CHECK_THAT(plain.err, StartsWith("apical: error: cells: not the run folder of a bci_cohort scenario"));

  f.write("broken/mice/m00.h5", "this is not HDF5");
  const Outcome corrupt = apical_cli("analyze broken", f);
  CHECK(corrupt.exit_code == 2);
  CHECK_THAT(corrupt.err, StartsWith("apical: error: broken/mice/m00.h5: not an HDF5 file"));

  const Outcome none = apical_cli("analyze", f);
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("needs a run folder"));

  const Outcome help = apical_cli("analyze --help", f);
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Contains("apical analyze RUN_DIR") && Contains("analysis.json"));
}

TEST_CASE("apical run: kind dispatch and bci-only options", "[cli]") {
  const Folder f;
  f.write("tiny_run.json", tiny_scenario());
  const Outcome threads = apical_cli("run tiny_run.json --threads 2", f);
  CHECK(threads.exit_code == 2);
  CHECK_THAT(threads.err, Contains("--threads applies to bci_cohort scenarios only"));

  const Outcome zero = apical_cli("run tiny_run.json --threads 0", f);
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Contains("--threads needs a whole number"));

  f.write("kind.json", R"({"format": "apical-scenario", "format_version": 1, "kind": "bci_cohrt"})");
  const Outcome kind = apical_cli("run kind.json", f);
  CHECK(kind.exit_code == 2);
  CHECK_THAT(kind.err, StartsWith("apical: error: kind.json: /kind: unknown scenario kind \"bci_cohrt\"; did you "
                                  "mean 'bci_cohort'?"));
}

TEST_CASE("apical morphology summarises a reconstruction and names the line of a bad one", "[cli]") {
  Folder f;
  const Outcome ok = apical_cli(std::string("morphology '") + APICAL_MORPHOLOGY_DIR + "/cell1.asc'", f);
  CHECK(ok.exit_code == 0);
  // Section and segment counts of docs/morphologies.md (d_lambda 0.1 at 100 Hz).
  CHECK_THAT(ok.out, Contains("apical dendrite       109       415"));
  CHECK_THAT(ok.out, Contains("total                 195       751"));
  f.write("bad.swc", "1 1 0 0 0 5 -1\n2 3 0 10 0 1 7\n");
  const Outcome bad = apical_cli("morphology bad.swc", f);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, StartsWith("apical: error: ") && Contains("bad.swc") && Contains("line 2"));
}

TEST_CASE("apical run shows a progress bar over mouse-days on a terminal", "[cli][bci]") {
  const Folder f;
  f.write("tiny_bci.json", tiny_bci_scenario);
  // util-linux `script` (Debian's essential bsdutils) gives the command a pseudo-terminal.
  const std::string command = "cd '" + f.path().string() + "' && script -qec \"'" + APICAL_CLI_PATH +
                              "' run tiny_bci.json --out cohort --threads 2 --no-analysis\" /dev/null > tty.txt 2>&1";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  const std::string screen = apical::test::read_text(f.file("tty.txt"));
  INFO(screen);
  REQUIRE(WEXITSTATUS(status) == 0);
  // 2 mice × (calibration + 2 days) = 6 mouse-days, drawn from 0 to 6 and then cleared.
  CHECK_THAT(screen, Contains("\rmouse-days 0/6 [                    ] 0%"));
  CHECK_THAT(screen, Contains("\rmouse-days 6/6 [####################] 100%"));
  CHECK_THAT(screen, Contains("tiny_bci: 2 mice × 2 days"));
}
