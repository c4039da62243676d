#pragma once
// A tiny base scenario and sweep files for the sweep tests.
#include <string>

#include "../io/io_test_support.hpp"

namespace apical::test {

// 1 mouse of 8 neurons, 2 days of one 1-min session after a 30-s calibration (just over one 28-s
// pseudo-trial), no chance level: about 0.2 s per run.
inline const char* tiny_sweep_base = R"~({
  "format": "apical-scenario", "format_version": 1, "kind": "bci_cohort", "name": "tiny_sweep_base",
  "cohort": {"mice": 1},
  "field_of_view": {"n_plus": 2, "n_minus": 2, "n_zero": 4},
  "loop": {"chance_repetitions": 0},
  "schedule": {"days": 2, "session": "1 min", "calibration": "0.5 min"}
})~";

// A sweep file over the tiny base in `folder`, with the given grid (a JSON array) and seed count.
inline std::string sweep_json(const std::string& grid, int seeds, const std::string& extra = "") {
  return R"({"format": "apical-sweep", "format_version": 1, "base": "base.json", )" + extra + R"("grid": )" + grid +
         R"(, "seeds": )" + std::to_string(seeds) + "}";
}

}  // namespace apical::test
