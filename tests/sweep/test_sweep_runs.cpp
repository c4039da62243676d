// Executing a sweep's runs with a stand-in simulation (fast, and able to throw): resume skips
// finished runs and redoes partial ones, a failed run is recorded without stopping the others, and
// sweep.csv does not depend on the thread count, and a run that crashes its process fails alone.
// test_sweep_cli.cpp runs real cohorts.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

#include "apical/sweep/run_folder.hpp"
#include "apical/sweep/sweep_csv.hpp"
#include "apical/sweep/sweep_runner.hpp"
#include "sweep_test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using nlohmann::json;
namespace fs = std::filesystem;
namespace sw = apical::sweep;

namespace {

// Writes the two files a run's outcome is read from, with numbers that depend on the run only;
// throws for the runs listed in `failing`, kills its process for those in `crashing`. Counts its
// calls per run (in this process: only when runs are not isolated).
struct FakeSimulation {
  std::set<std::size_t> failing;
  std::set<std::size_t> crashing;
  std::map<std::size_t, int> calls;
  std::mutex mutex;

  sw::Simulate simulate() {
    return [this](const sw::Run& run, const std::string& folder) {
      {
        const std::lock_guard<std::mutex> lock(mutex);
        ++calls[run.index];
      }
      if (failing.count(run.index)) throw std::runtime_error("simulated failure in run " + std::to_string(run.index));
      if (crashing.count(run.index)) std::raise(SIGSEGV);
      const double a1 = 0.25 + 0.01 * static_cast<double>(run.seed);
      json summary;
      summary["per_day"] = json::array({{{"accuracy_mean", a1}, {"rewards_per_min_mean", 1.5}},
                                        {{"accuracy_mean", a1 + 0.5}, {"rewards_per_min_mean", nullptr}}});
      json analysis;
      analysis["values"] = {{"learning.slope_per_day.mean", 1.0 / 3.0}, {"prediction.r", nullptr}};
      std::ofstream(fs::path(folder) / "summary.json") << summary.dump();
      std::ofstream(fs::path(folder) / "analysis.json") << analysis.dump();
    };
  }
  int total() {
    int n = 0;
    for (const auto& [index, count] : calls) n += count;
    return n;
  }
};

struct Fixture : apical::test::TempDir {
  sw::Sweep sweep;
  std::vector<sw::Run> runs;
  FakeSimulation fake;
  Fixture() {
    write("base.json", apical::test::tiny_sweep_base);
    sweep = sw::load_sweep(write("sweep.json", apical::test::sweep_json(
                                                   R"([{"path": "learning/rule", "values": ["R0", "R3", "R9"]}])", 2)));
    runs = sw::expand(sweep);
  }
  sw::SweepResult run(const std::string& out, unsigned threads, bool isolated = false) {
    sw::SweepOptions options;
    options.threads = threads;
    options.simulate = fake.simulate();
    options.isolate_runs = isolated;
    return sw::run_local(runs, file(out), options);
  }
  [[nodiscard]] std::string csv(const sw::SweepResult& r) const { return sw::sweep_csv_text(sweep, runs, r.outcomes); }
};

}  // namespace

TEST_CASE("a sweep records every run, ok or failed, in grid order", "[sweep]") {
  Fixture f;
  f.fake.failing = {2};  // R3, seed 1: throws while it runs
  const sw::SweepResult r = f.run("out", 2);
  REQUIRE(r.outcomes.size() == 6);
  CHECK(r.executed == 4);  // runs 4 and 5 (R9) do not load
  CHECK(r.skipped == 0);
  CHECK(f.fake.total() == 4);
  CHECK(r.outcomes[0].status == sw::RunStatus::ok);
  CHECK(r.outcomes[2].status == sw::RunStatus::failed);
  CHECK(r.outcomes[2].error == "simulated failure in run 2");
  CHECK(r.outcomes[3].status == sw::RunStatus::ok);
  CHECK(r.outcomes[4].status == sw::RunStatus::failed);
  CHECK_THAT(r.outcomes[4].error, StartsWith("run 4: /learning/rule: "));
  CHECK(fs::exists(f.path() / "out" / f.runs[2].folder / "failed.json"));
  CHECK_FALSE(fs::exists(f.path() / "out" / f.runs[2].folder / "complete.json"));

  const sw::Outcome& ok = r.outcomes[1];  // seed 2
  REQUIRE(ok.values.size() == sw::headline_columns().size());
  CHECK(ok.values[0] == 2);                           // days
  CHECK(ok.values[1] == 0.27);                        // accuracy_day1
  CHECK(ok.values[2] == 0.27 + 0.5);                  // accuracy_last_day
  CHECK(ok.values[3] == (0.27 + 0.5) - 0.27);         // learning_gain
  CHECK(std::isnan(ok.values[5]));                    // rewards_per_min_last_day: null

  const std::string text = f.csv(r);
  const std::string header = text.substr(0, text.find('\n'));
  CHECK_THAT(header, StartsWith("run,learning/rule,seed,folder,status,error,days,accuracy_day1,accuracy_last_day,"
                                "learning_gain,rewards_per_min_day1,rewards_per_min_last_day,"));
  CHECK_THAT(header, Contains(",learning.slope_per_day.mean,") && Contains(",prediction.r"));
  CHECK_THAT(text, Contains("\n1,R0,2," + f.runs[1].folder + ",ok,,2,0.27,0.77,0.5,1.5,nan,"));
  CHECK_THAT(text, Contains("\n2,R3,1," + f.runs[2].folder + ",failed,simulated failure in run 2,nan,nan,"));
  CHECK_THAT(text, Contains("\n4,R9,1,,failed,\"run 4: /learning/rule: unknown value \"\"R9\"\""));
  CHECK(std::count(text.begin(), text.end(), '\n') == 7);
}

TEST_CASE("a run that crashes its process fails alone, and isolated runs give the same table", "[sweep]") {
  Fixture f;
  const std::string in_process = f.csv(f.run("in_process", 2));
  f.fake.crashing = {1};  // R0, seed 2: a segmentation fault in the child process
  const sw::SweepResult r = f.run("isolated", 2, true);
  REQUIRE(r.outcomes.size() == 6);
  CHECK(r.outcomes[1].status == sw::RunStatus::failed);
  CHECK(r.outcomes[1].error == "crashed: killed by signal 11 (Segmentation fault)");
  for (std::size_t i : {0, 2, 3}) CHECK(r.outcomes[i].status == sw::RunStatus::ok);
  CHECK(fs::exists(f.path() / "isolated" / f.runs[1].folder / "failed.json"));

  // Apart from the crashed run's row, the table is the one executed in this process.
  f.fake.crashing.clear();
  const sw::SweepResult redone = f.run("isolated", 1, true);
  CHECK(redone.executed == 1);
  CHECK(f.csv(redone) == in_process);
}

TEST_CASE("resume skips finished runs and redoes unfinished and failed ones", "[sweep]") {
  Fixture f;
  f.fake.failing = {3};
  const sw::SweepResult first = f.run("out", 2);
  CHECK(f.fake.total() == 4);

  // A second pass executes only the failed run (failed is not finished).
  f.fake.failing.clear();
  f.fake.calls.clear();
  const sw::SweepResult second = f.run("out", 1);
  CHECK(second.executed == 1);
  CHECK(second.skipped == 3);
  CHECK(f.fake.calls == std::map<std::size_t, int>{{3, 1}});
  CHECK(second.outcomes[3].status == sw::RunStatus::ok);
  CHECK_FALSE(fs::exists(f.path() / "out" / f.runs[3].folder / "failed.json"));

  // Nothing left to do.
  f.fake.calls.clear();
  const sw::SweepResult third = f.run("out", 2);
  CHECK(third.executed == 0);
  CHECK(third.skipped == 4);
  CHECK(f.fake.total() == 0);
  CHECK(f.csv(third) == f.csv(second));

  // A partial folder (no completion marker; interrupted) is cleared and redone.
  const fs::path partial = f.path() / "out" / f.runs[1].folder;
  fs::remove(partial / "complete.json");
  std::ofstream(partial / "stale.txt") << "left over";
  CHECK(sw::read_outcome(f.file("out"), f.runs[1]).status == sw::RunStatus::missing);
  f.fake.calls.clear();
  const sw::SweepResult fourth = f.run("out", 2);
  CHECK(f.fake.calls == std::map<std::size_t, int>{{1, 1}});
  CHECK_FALSE(fs::exists(partial / "stale.txt"));
  CHECK(fs::exists(partial / "complete.json"));
  CHECK(fs::exists(partial / "scenario.json"));
  CHECK(f.csv(fourth) == f.csv(second));

  // Merging from the folders alone gives the same table.
  CHECK(sw::sweep_csv_text(f.sweep, f.runs, sw::assemble_outcomes(f.file("out"), f.runs, {})) == f.csv(second));
}

TEST_CASE("sweep.csv is the same for 1, 2 and 3 threads", "[sweep]") {
  Fixture f;
  f.fake.failing = {0};
  const std::string one = f.csv(f.run("one", 1));
  const std::string two = f.csv(f.run("two", 2));
  const std::string three = f.csv(f.run("three", 3));
  CHECK(one == two);
  CHECK(one == three);
}

TEST_CASE("merging a sweep that has not run reports every run missing", "[sweep]") {
  Fixture f;
  const std::vector<sw::Outcome> outcomes = sw::assemble_outcomes(f.file("nowhere"), f.runs, {});
  CHECK(outcomes[0].status == sw::RunStatus::missing);
  CHECK(outcomes[0].error == "not run");
  CHECK(outcomes[4].status == sw::RunStatus::failed);  // does not load, so it has failed already
}

TEST_CASE("outcomes travel as JSON bit for bit, and CSV fields are quoted when needed", "[sweep]") {
  sw::Outcome o{sw::RunStatus::ok, "", {1.0 / 3.0, -0.0, std::numeric_limits<double>::quiet_NaN(), 1e-300, 6.02e23}};
  const sw::Outcome back = sw::outcome_from_json(sw::outcome_to_json(o));
  CHECK(back.status == sw::RunStatus::ok);
  REQUIRE(back.values.size() == o.values.size());
  for (std::size_t i = 0; i < o.values.size(); ++i)
    CHECK(std::bit_cast<std::uint64_t>(back.values[i]) == std::bit_cast<std::uint64_t>(o.values[i]));
  const sw::Outcome failed = sw::outcome_from_json(sw::outcome_to_json({sw::RunStatus::failed, "a \"b\",\nc", {}}));
  CHECK(failed.status == sw::RunStatus::failed);
  CHECK(failed.error == "a \"b\",\nc");

  CHECK(sw::csv_field("plain") == "plain");
  CHECK(sw::csv_field("a,b") == "\"a,b\"");
  CHECK(sw::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(sw::value_text(json("30 min")) == "30 min");
  CHECK(sw::value_text(json(0.0004)) == "0.0004");
  CHECK(sw::value_text(json::parse(R"({"kind": "none"})")) == R"({"kind":"none"})");
}
