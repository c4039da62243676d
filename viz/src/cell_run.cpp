#include "apical/viz/cell_run.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "apical/io/cell_file.hpp"
#include "apical/io/input_error.hpp"
#include "apical/io/suggest.hpp"
#include "apical/io/units.hpp"
#include "apical/models/gcamp7f.hpp"
#include "apical/models/protocol.hpp"

namespace apical::viz {
namespace {

constexpr double mM_to_uM = 1e3, mM_to_nM = 1e6;

// Fluorescence of GCaMP7f in binding equilibrium with free Ca (nM), in a.u.
double equilibrium_fluorescence(double ca_nM, const Gcamp7fParameters& p) {
  const double bound = std::pow(ca_nM, p.hill_n), half = std::pow(p.K_d_nM, p.hill_n);
  const double theta = bound / (bound + half);
  return p.F_min_au * (1.0 + (p.F_max_over_F_min - 1.0) * theta) + p.F_bg_au;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Quantity parse_quantity(const std::string& name) {
  for (std::size_t i = 0; i < quantity_names.size(); ++i)
    if (name == quantity_names[i]) return static_cast<Quantity>(i);
  throw std::invalid_argument("unknown quantity '" + name + "' (choose v, cai or dff)" +
                              suggestion_suffix(name, quantity_names));
}

std::string quantity_title(Quantity q) {
  switch (q) {
    case Quantity::v: return "V (mV)";
    case Quantity::cai: return "[Ca]i (\xC2\xB5M)";
    case Quantity::dff: return "dF/F";
  }
  return {};
}

CellRun load_cell_run(const std::string& folder) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(folder)) throw InputError(folder, "", "no such run folder");
  const fs::path traces = fs::path(folder) / "traces.h5", cell = fs::path(folder) / "cell.json";
  for (const fs::path& needed : {traces, cell})
    if (!fs::exists(needed))
      throw InputError(folder, "", "not a single-cell run folder: " + needed.filename().string() + " is missing");
  CellRun run{folder, load_cell_file(cell.string()), read_segment_recording(traces.string())};
  const std::vector<Site> expected = segment_sites(run.cell.morphology);
  const auto& sites = run.recording.sites;
  const bool same = sites.size() == expected.size() &&
                    std::equal(sites.begin(), sites.end(), expected.begin(), [](const Site& a, const Site& b) {
                      return a.section == b.section && std::abs(a.x - b.x) < 1e-9;
                    });
  if (!same)
    throw InputError(traces.string(), "/segments",
                     "the recorded segments do not match the cell of cell.json (" + std::to_string(sites.size()) +
                         " recorded, " + std::to_string(expected.size()) + " in the cell)");
  return run;
}

QuantitySeries quantity_series(const CellRun& run, const std::string& condition, Quantity q) {
  const SegmentRecording& rec = run.recording;
  const std::string traces = run.folder + "/traces.h5";
  std::size_t c = 0;
  if (condition.empty()) {
    if (rec.conditions.size() > 1)
      throw InputError(traces, "/segments",
                       "the run has " + std::to_string(rec.conditions.size()) + " conditions (" +
                           join(rec.conditions) + "); choose one");
  } else {
    const auto it = std::find(rec.conditions.begin(), rec.conditions.end(), condition);
    if (it == rec.conditions.end())
      throw InputError(traces, "/segments",
                       "no condition '" + condition + "' (recorded: " + join(rec.conditions) + ")" +
                           suggestion_suffix(condition, rec.conditions));
    c = static_cast<std::size_t>(it - rec.conditions.begin());
  }
  const std::string variable = q == Quantity::v ? "v" : "cai";
  const auto v = std::find(rec.variables.begin(), rec.variables.end(), variable);
  if (v == rec.variables.end())
    throw InputError(traces, "/segments",
                     "'" + quantity_names[static_cast<std::size_t>(q)] + "' needs \"" + variable +
                         "\" in the scenario's \"record_segments\" (recorded: " + join(rec.variables) + ")");
  QuantitySeries series{rec.conditions[c], {quantity_title(q)}, rec.values[c][static_cast<std::size_t>(v - rec.variables.begin())]};
  const std::size_t segments = rec.segments();
  if (q == Quantity::cai)
    for (double& x : series.values) x *= mM_to_uM;
  if (q == Quantity::dff) {
    const Gcamp7fParameters indicator;
    std::vector<double> resting(segments);
    for (std::size_t s = 0; s < segments && s < series.values.size(); ++s)
      resting[s] = equilibrium_fluorescence(series.values[s] * mM_to_nM, indicator);
    for (std::size_t k = 0; k < series.values.size(); ++k)
      series.values[k] = equilibrium_fluorescence(series.values[k] * mM_to_nM, indicator) / resting[k % segments] - 1.0;
  }
  const auto [lo, hi] = std::minmax_element(series.values.begin(), series.values.end());
  series.scale.low = lo == series.values.end() ? 0.0 : *lo;
  series.scale.high = hi == series.values.end() ? 1.0 : *hi;
  // A flat recording still needs a scale; widen it around the value.
  if (!(series.scale.high > series.scale.low)) {
    const double half = std::max(std::abs(series.scale.low) * 0.01, 1e-3);
    series.scale.low -= half;
    series.scale.high += half;
  }
  return series;
}

std::size_t sample_at(const CellRun& run, double t_ms) {
  const std::vector<double>& time = run.recording.time_ms;
  if (time.empty() || !(t_ms >= time.front() && t_ms <= time.back()))
    throw InputError(run.folder + "/traces.h5", "/time_ms",
                     "time " + format_number(t_ms) + " ms lies outside the recording (" +
                         (time.empty() ? std::string("no samples")
                                       : format_number(time.front()) + " to " + format_number(time.back()) + " ms") +
                         ")");
  const auto after = std::lower_bound(time.begin(), time.end(), t_ms);
  if (after == time.begin()) return 0;
  const auto before = after - 1;
  return static_cast<std::size_t>((after != time.end() && *after - t_ms < t_ms - *before ? after : before) - time.begin());
}

}  // namespace apical::viz
