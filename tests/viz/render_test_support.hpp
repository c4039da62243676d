#pragma once
// A tiny single-cell run of the Bahl et al. (2012) cell with per-segment recording, for picture and
// export tests: one condition, a somatic current step that fires the cell, 30 ms.
#include <string>

#include <nlohmann/json.hpp>

#include "../io/io_test_support.hpp"
#include "../unit/bci/bci_test_support.hpp"
#include "apical/io/cohort_run.hpp"
#include "apical/io/json_reader.hpp"
#include "apical/io/results.hpp"
#include "apical/io/scenario.hpp"

namespace apical::test {

inline const std::string bahl_cell = std::string(APICAL_SOURCE_DIR) + "/models/data/bahl2012/model2.json";

inline std::string tiny_scenario_json(const std::string& record_segments) {
  return R"json({"format": "apical-scenario", "format_version": 1, "kind": "single_cell", "name": "tiny",
  "cell": ")json" + bahl_cell + R"json(",
  "simulation": {"duration": "30 ms", "dt": "0.025 ms", "integrator": "backward_euler", "record_interval": "0.5 ms"},
  "stimuli": [{"type": "current_step", "site": "soma(0.5)", "amplitude": "2 nA", "start": "5 ms", "duration": "5 ms"}],
  "recordings": [{"site": "soma(0.5)", "variable": "v"}])json" +
         (record_segments.empty() ? std::string() : ",\n  \"record_segments\": " + record_segments) + "}";
}

// Runs the tiny scenario into `folder` and returns the scenario.
inline Scenario run_tiny_cell(const TempDir& dir, const std::string& folder,
                              const std::string& record_segments = R"(["v", "cai"])") {
  const std::string file = dir.write(folder + ".json", tiny_scenario_json(record_segments));
  Scenario scenario = load_scenario(file);
  write_run_folder(dir.file(folder), scenario, run_protocol(scenario.protocol, builtin_mechanisms()));
  return scenario;
}

// A bci_cohort run folder of `mice` small mice (16 neurons each) over `days` half-minute sessions.
inline void run_tiny_cohort(const std::string& folder, int mice, int days) {
  BciScenario s;
  s.name = "tiny_cohort";
  s.spec = bci::test::small_spec("R3", days, 0.5);
  s.mice = mice;
  CohortRunOptions options;
  options.threads = 2;
  run_cohort_folder(folder, s, nlohmann::json{{"name", s.name}}, options);
}

}  // namespace apical::test
