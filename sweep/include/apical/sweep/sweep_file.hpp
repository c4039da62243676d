#pragma once
// Sweep files ("format": "apical-sweep", version 1; docs/sweeps.md): a base bci_cohort scenario, fixed
// overrides, a grid of Cartesian and zipped axes over scenario fields named by JSON path, and a seed
// count. Reading is strict like every apical file: unknown and missing keys, paths that name no
// scenario key (with a "did you mean"), overlapping paths and zipped axes of unequal length are
// InputErrors naming the sweep file and the JSON Pointer at fault.
//
// The runs of a sweep, in grid order: the first axis varies slowest, the seed fastest. Run i is the
// base scenario as written, with the overrides, the axis values of i and "seed" set, read through the
// normal scenario loader. A run whose scenario does not load keeps the loader's message and fails alone.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace apical::sweep {

constexpr long long sweep_format_version = 1;

// One scenario field and the values it takes, as written in the sweep file.
struct Axis {
  std::string pointer;                  // normalised JSON Pointer: "/learning/rule"
  std::string label;                    // the pointer without its leading '/': the sweep.csv column
  std::vector<nlohmann::json> values;   // JSON values as in a scenario: "R3", "30 min", 4e-4, true
};

// One factor of the Cartesian product: a single axis, or zipped axes that step together.
struct Factor {
  std::vector<Axis> axes;  // ≥ 1, all with the same number of values
  [[nodiscard]] std::size_t size() const { return axes.front().values.size(); }
};

struct Sweep {
  std::string name;          // "name", else the sweep file name without extension
  std::string description;
  std::string file;          // the sweep file as given
  std::string base_file;     // the base scenario: "base" resolved against the sweep file's folder
  nlohmann::json base;       // the base scenario document as written
  std::vector<Axis> set;     // fixed overrides ("set"), one value each, applied before the grid
  std::vector<Factor> grid;  // in file order; the first varies slowest
  std::size_t seeds = 1;     // runs per grid point
  std::uint64_t first_seed = 1;  // run seeds: first_seed, first_seed + 1, …

  [[nodiscard]] std::size_t grid_points() const;                     // product of the factor sizes
  [[nodiscard]] std::size_t runs() const { return grid_points() * seeds; }
  [[nodiscard]] std::vector<const Axis*> axes() const;               // the grid's axes in column order
};

// Reads, checks and normalises a sweep file; the base scenario must load on its own.
Sweep load_sweep(const std::string& path);
// The same from a parsed document; `folder` is where "base" is resolved from.
Sweep read_sweep(const nlohmann::json& document, const std::string& file_label, const std::string& folder);

// One run of a sweep: a pure function of (scenario, seed).
struct Run {
  std::size_t index = 0;                // grid order
  std::vector<nlohmann::json> values;   // one per grid axis, in Sweep::axes() order
  std::uint64_t seed = 0;
  nlohmann::json scenario;              // the scenario as written: base + set + values + seed
  nlohmann::json resolved;              // resolved_bci_scenario of it; null when it does not load
  std::string error;                    // the loader's message when it does not load, else ""
  std::string folder;                   // "runs/<16 hex digits>" (run_hash.hpp), "" when it does not load
  [[nodiscard]] bool loads() const { return error.empty(); }
};

// Run `index` (< sweep.runs()); loads its scenario. Never throws for a bad value: see Run::error.
Run expand_run(const Sweep& sweep, std::size_t index);
// Every run, in grid order.
std::vector<Run> expand(const Sweep& sweep);

// "learning/rule", "/learning/rule" → "/learning/rule"; components unescaped (~1 = '/', ~0 = '~').
// Throws std::invalid_argument on an empty path or an empty component.
std::vector<std::string> split_path(const std::string& path);

// A value for a CSV cell or a manifest: strings bare, everything else as compact JSON.
std::string value_text(const nlohmann::json& value);

}  // namespace apical::sweep
