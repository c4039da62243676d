// A tiny bci_cohort scenario for the virtual-microscope tests: 10 neurons and a 1-min calibration block,
// so a mouse simulates in a fraction of a second.
#pragma once

#include <fstream>
#include <string>

#include "test_images.hpp"

namespace apical::bridge::test {

// Writes the scenario to this test process's temp folder and returns its path.
inline std::string write_tiny_scenario(const std::string& name, const std::string& rule, int mice) {
  const std::string path = temp_path(name + ".json");
  std::ofstream(path) << R"({"format": "apical-scenario", "format_version": 1, "kind": "bci_cohort", "name": ")"
                      << name << R"(", "cohort": {"mice": )" << mice
                      << R"(}, "field_of_view": {"n_plus": 2, "n_minus": 2, "n_zero": 6},
  "schedule": {"calibration": "1 min"}, "loop": {"chance_repetitions": 0}, "learning": {"rule": ")"
                      << rule << R"("}})";
  return path;
}

}  // namespace apical::bridge::test
