// Sweep files: strict reading, grid expansion (Cartesian × zipped, seeds fastest), path errors with
// "did you mean", per-run loader failures, folder hashes, and every example sweep under scenarios/sweeps.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "apical/io/input_error.hpp"
#include "apical/sweep/run_hash.hpp"
#include "apical/sweep/sweep_file.hpp"
#include "apical/sweep/sweep_runner.hpp"
#include "sweep_test_support.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;
using nlohmann::json;
namespace sw = apical::sweep;

namespace {

struct SweepFolder : apical::test::TempDir {
  SweepFolder() { write("base.json", apical::test::tiny_sweep_base); }
  [[nodiscard]] sw::Sweep load(const std::string& text) const { return sw::load_sweep(write("sweep.json", text)); }
  // The InputError of loading `text`, as "json path: detail".
  [[nodiscard]] std::string error(const std::string& text) const {
    try {
      (void)load(text);
    } catch (const apical::InputError& e) {
      return e.json_path() + ": " + e.detail();
    }
    return "no error";
  }
};

const std::string rule_and_zip = R"([
  {"path": "learning/rule", "values": ["R1", "R3"]},
  {"zip": [{"path": "teaching/feedback", "values": ["oracle", "random", "zero"]},
           {"path": "/teaching/teaching_gain", "values": ["5 pA", "10 pA", "0 pA"]}]}])";

}  // namespace

TEST_CASE("a grid expands Cartesian factors and zipped axes in grid order, the seed fastest", "[sweep]") {
  const SweepFolder f;
  const sw::Sweep sweep = f.load(apical::test::sweep_json(rule_and_zip, 2, R"("first_seed": 7, )"));
  CHECK(sweep.name == "sweep");
  CHECK(sweep.grid.size() == 2);
  CHECK(sweep.grid_points() == 6);
  CHECK(sweep.runs() == 12);
  std::vector<std::string> labels;
  for (const sw::Axis* a : sweep.axes()) labels.push_back(a->label);
  CHECK(labels == std::vector<std::string>{"learning/rule", "teaching/feedback", "teaching/teaching_gain"});

  const std::vector<sw::Run> runs = sw::expand(sweep);
  REQUIRE(runs.size() == 12);
  const auto values = [&](std::size_t i) {
    std::vector<std::string> v;
    for (const json& x : runs[i].values) v.push_back(sw::value_text(x));
    return v;
  };
  CHECK(values(0) == std::vector<std::string>{"R1", "oracle", "5 pA"});
  CHECK(values(1) == std::vector<std::string>{"R1", "oracle", "5 pA"});
  CHECK(values(2) == std::vector<std::string>{"R1", "random", "10 pA"});
  CHECK(values(5) == std::vector<std::string>{"R1", "zero", "0 pA"});
  CHECK(values(6) == std::vector<std::string>{"R3", "oracle", "5 pA"});
  CHECK(values(11) == std::vector<std::string>{"R3", "zero", "0 pA"});
  for (const sw::Run& r : runs) {
    INFO("run " << r.index << ": " << r.error);
    CHECK(r.loads());
    CHECK(r.seed == 7 + r.index % 2);
    CHECK(r.scenario["seed"] == r.seed);
    CHECK(r.resolved["seed"] == r.seed);
    CHECK(r.scenario["name"] == "tiny_sweep_base");
    CHECK(r.scenario["schedule"]["session"] == "1 min");  // the base as written stays
  }
  CHECK(runs[9].scenario["learning"]["rule"] == "R3");
  CHECK(runs[9].scenario["teaching"]["teaching_gain"] == "10 pA");
  CHECK(runs[9].resolved["teaching"]["feedback"] == "random");
  CHECK(runs[11].resolved["teaching"]["feedback"] == "zero");
  // A rule set by the grid takes its own parameter defaults, not the base rule's.
  CHECK(runs[0].resolved["learning"]["parameters"]["learning_rate"] == 0.01);
  CHECK(runs[6].resolved["learning"]["parameters"]["learning_rate"] == 0.0004);

  // Expanding one run gives the same as expanding all.
  const sw::Run one = sw::expand_run(sweep, 9);
  CHECK(one.folder == runs[9].folder);
  CHECK(one.scenario == runs[9].scenario);
  CHECK_THROWS_AS(sw::expand_run(sweep, 12), std::out_of_range);
}

TEST_CASE("set overrides every run, and an empty grid sweeps the seeds only", "[sweep]") {
  const SweepFolder f;
  const sw::Sweep sweep = f.load(apical::test::sweep_json("[]", 3, R"("set": {"schedule/days": 2, "cohort/mice": 2}, )"));
  CHECK(sweep.runs() == 3);
  CHECK(sweep.axes().empty());
  for (const sw::Run& r : sw::expand(sweep)) {
    CHECK(r.values.empty());
    CHECK(r.seed == 1 + r.index);
    CHECK(r.resolved["schedule"]["days"] == 2);
    CHECK(r.resolved["cohort"]["mice"] == 2);
  }
}

TEST_CASE("a bad value fails its run with the loader's message, and the other runs load", "[sweep]") {
  const SweepFolder f;
  const sw::Sweep sweep =
      f.load(apical::test::sweep_json(R"([{"path": "learning/rule", "values": ["R3", "R9"]},
                                          {"path": "schedule/session", "values": ["1 min", "1 mV"]}])", 1));
  const std::vector<sw::Run> runs = sw::expand(sweep);
  REQUIRE(runs.size() == 4);
  CHECK(runs[0].loads());
  CHECK_FALSE(runs[1].loads());
  CHECK_THAT(runs[1].error, StartsWith("run 1: /schedule/session: ") && Contains("mV"));
  CHECK(runs[1].folder.empty());
  CHECK(runs[1].resolved.is_null());
  CHECK_THAT(runs[2].error, StartsWith("run 2: /learning/rule: ") && Contains("R9") && Contains("did you mean"));
  CHECK_FALSE(runs[3].loads());
}

TEST_CASE("sweep files are strict: errors name the JSON path, with did-you-mean", "[sweep]") {
  const SweepFolder f;
  using apical::test::sweep_json;
  const auto axis = [](const std::string& path) {
    return R"([{"path": ")" + path + R"(", "values": [1]}])";
  };
  CHECK_THAT(f.error(sweep_json(axis("learning/rul"), 1)),
             StartsWith("/grid/0/path: unknown scenario key 'rul' in /learning") && EndsWith("did you mean 'rule'?"));
  CHECK_THAT(f.error(sweep_json(axis("/lerning/rule"), 1)),
             StartsWith("/grid/0/path: unknown scenario key 'lerning'") && EndsWith("did you mean 'learning'?"));
  CHECK_THAT(f.error(sweep_json(axis("learning/parameters/learning_rat"), 1)),
             Contains("no learning rule has a parameter 'learning_rat'") && EndsWith("did you mean 'learning_rate'?"));
  // A parameter of another rule than the base's is accepted: the grid may change the rule.
  CHECK(f.error(sweep_json(axis("learning/parameters/tau_eligibility"), 1)) == "no error");
  CHECK_THAT(f.error(sweep_json(axis("learning/rule/name"), 1)), Contains("which is a value, not an object"));
  CHECK_THAT(f.error(sweep_json(axis("seed"), 1)), Contains("\"seed\" cannot be swept"));
  CHECK_THAT(f.error(sweep_json(axis("kind"), 1)), Contains("cannot be swept"));
  CHECK_THAT(f.error(sweep_json(axis("learning//rule"), 1)), Contains("empty component"));
  CHECK_THAT(f.error(sweep_json(R"([{"path": "learning/rule", "value": ["R3"]}])", 1)),
             StartsWith("/grid/0/value: unknown key 'value'") && EndsWith("did you mean 'values'?"));
  CHECK_THAT(f.error(sweep_json(R"([{"path": "learning/rule", "values": []}])", 1)),
             StartsWith("/grid/0/values: expected at least 1 entry"));
  CHECK_THAT(f.error(sweep_json(R"([{"zip": [{"path": "learning/rule", "values": ["R1", "R3"]},
                                             {"path": "teaching/feedback", "values": ["zero"]}]}])", 1)),
             StartsWith("/grid/0/zip/1/values: has 1 values; zipped axes step together") &&
                 Contains("/grid/0/zip/0/values (2)"));
  CHECK_THAT(f.error(sweep_json(R"([{"path": "learning/rule", "values": ["R1"]},
                                    {"path": "/learning/rule", "values": ["R3"]}])", 1)),
             StartsWith("/grid/1/path: sets /learning/rule, which /grid/0/path already sets"));
  CHECK_THAT(f.error(sweep_json(R"([{"path": "manipulations/opto/kind", "values": ["none"]}])", 1,
                                R"("set": {"manipulations/opto": {"kind": "light_only"}}, )")),
             StartsWith("/grid/0/path: /manipulations/opto/kind overlaps /manipulations/opto, set by /set/manipulations~1opto"));
  CHECK_THAT(f.error(sweep_json("[]", 1, R"("set": {"schedule/dayz": 2}, )")),
             StartsWith("/set/schedule~1dayz: unknown scenario key 'dayz'") && EndsWith("did you mean 'days'?"));
  CHECK_THAT(f.error(R"({"format": "apical-sweep", "format_version": 1, "base": "base.json", "grid": [], "sedes": 2})"),
             StartsWith("/sedes: unknown key 'sedes'") && EndsWith("did you mean 'seeds'?"));
  CHECK_THAT(f.error(R"({"format": "apical-sweep", "format_version": 1, "base": "base.json", "grid": []})"),
             Contains("missing required key 'seeds'"));
  CHECK_THAT(f.error(sweep_json("[]", 0)), StartsWith("/seeds: 0 is out of range"));
  CHECK_THAT(f.error(R"({"format": "apical-scenario", "format_version": 1})"), StartsWith("/format: this reader expects"));
  CHECK_THAT(f.error(R"({"format": "apical-sweep", "format_version": 1, "base": "nothere.json", "grid": [], "seeds": 1})"),
             StartsWith("/base: no scenario file"));
  f.write("cell_scenario.json", R"({"format": "apical-scenario", "format_version": 1, "kind": "single_cell"})");
  CHECK_THAT(f.error(R"({"format": "apical-sweep", "format_version": 1, "base": "cell_scenario.json", "grid": [], "seeds": 1})"),
             Contains("is a \"single_cell\" scenario; sweeps run \"bci_cohort\" scenarios"));
  // The base scenario's own errors name the base file.
  f.write("bad_base.json", R"({"format": "apical-scenario", "format_version": 1, "kind": "bci_cohort", "sedd": 1})");
  try {
    (void)f.load(R"({"format": "apical-sweep", "format_version": 1, "base": "bad_base.json", "grid": [], "seeds": 1})");
    FAIL("no error");
  } catch (const apical::InputError& e) {
    CHECK_THAT(e.file(), EndsWith("bad_base.json"));
    CHECK(e.json_path() == "/sedd");
  }
}

TEST_CASE("split_path accepts both spellings and JSON Pointer escapes", "[sweep]") {
  CHECK(sw::split_path("learning/rule") == std::vector<std::string>{"learning", "rule"});
  CHECK(sw::split_path("/learning/rule") == std::vector<std::string>{"learning", "rule"});
  CHECK(sw::split_path("a~1b/c~0d") == std::vector<std::string>{"a/b", "c~d"});
  CHECK_THROWS_AS(sw::split_path(""), std::invalid_argument);
  CHECK_THROWS_AS(sw::split_path("a/"), std::invalid_argument);
}

TEST_CASE("run folders: FNV-1a 64 of the resolved scenario, stable, different for other seeds and values",
          "[sweep]") {
  // The published FNV-1a 64 test vectors.
  CHECK(sw::fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(sw::fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(sw::fnv1a64("foobar") == 0x85944171f73967e8ULL);
  CHECK(sw::run_folder_name(json::parse(R"({"b": 1, "a": [true, "x"]})")) ==
        sw::run_folder_name(json::parse(R"({"a": [true, "x"], "b": 1})")));  // keys sorted
  CHECK(sw::run_folder_name(json::object()).size() == 16);

  const SweepFolder f;
  const std::string grid = R"([{"path": "schedule/session", "values": ["1 min", "60 s", "2 min"]},
                               {"path": "learning/parameters/learning_rate", "values": [0.0004, 0.0008]}])";
  const std::vector<sw::Run> a = sw::expand(f.load(apical::test::sweep_json(grid, 2)));
  const std::vector<sw::Run> b = sw::expand(f.load(apical::test::sweep_json(grid, 2)));
  REQUIRE(a.size() == 12);
  std::set<std::string> folders;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].folder == b[i].folder);  // stable
    CHECK(a[i].folder.size() == 5 + 16);
    CHECK(a[i].folder == "runs/" + sw::run_folder_name(a[i].resolved));
    folders.insert(a[i].folder);
  }
  CHECK(a[0].folder != a[1].folder);  // seeds 1 and 2
  CHECK(a[0].folder != a[2].folder);  // learning rates
  // "1 min" and "60 s" are the same run, so the same folder; 8 distinct runs in all.
  CHECK(a[0].folder == a[4].folder);
  CHECK(folders.size() == 8);
  const sw::Plan plan = sw::plan_runs(f.file("out"), a);
  CHECK(plan.pending.size() == 8);
  CHECK(plan.pending == std::vector<std::size_t>{0, 1, 2, 3, 8, 9, 10, 11});
}

TEST_CASE("every example sweep under scenarios/sweeps loads and expands", "[sweep]") {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(APICAL_SOURCE_DIR) / "scenarios" / "sweeps";
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    INFO(entry.path().string());
    const sw::Sweep sweep = sw::load_sweep(entry.path().string());
    CHECK_FALSE(sweep.description.empty());
    const std::vector<sw::Run> runs = sw::expand(sweep);
    CHECK(runs.size() == sweep.runs());
    std::set<std::string> distinct;
    for (const sw::Run& r : runs) {
      INFO("run " << r.index << ": " << r.error);
      CHECK(r.loads());
      distinct.insert(r.folder);
    }
    CHECK(distinct.size() == runs.size());  // no two runs the same
  }
  CHECK(files >= 2);
  const sw::Sweep rules = sw::load_sweep((folder / "rule_x_feedback.json").string());
  CHECK(rules.seeds == 10);
  CHECK(rules.runs() == 6 * 4 * 10);
  const sw::Sweep rates = sw::load_sweep((folder / "learning_rate_x_o1.json").string());
  CHECK(rates.axes().size() == 2);
  CHECK_THAT(rates.base_file, EndsWith("r3_o1_ndnf_inhibition.json"));
}
