// Executing one run into its folder, the completion and failure markers, and reading a run's outcome
// back from the folder.
#include "apical/sweep/run_folder.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "apical/analysis/cohort_analysis.hpp"
#include "apical/io/analysis_json.hpp"
#include "apical/io/bci_scenario.hpp"
#include "apical/io/cohort_run.hpp"
#include "apical/io/run_cohort_reader.hpp"
#include "apical/io/version.hpp"

namespace apical::sweep {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

constexpr const char* complete_file = "complete.json";
constexpr const char* failed_file = "failed.json";

// The summary.json columns; analysis.json's follow under their own names.
const std::vector<std::string> summary_columns{"days", "accuracy_day1", "accuracy_last_day", "learning_gain",
                                               "rewards_per_min_day1", "rewards_per_min_last_day"};
const std::vector<std::string> analysis_columns{
    "learning.accuracy.early.mean",       "learning.accuracy.late.mean",
    "learning.accuracy.late_vs_early.p",  "learning.rewards_per_min.early.mean",
    "learning.rewards_per_min.late.mean", "learning.slope_per_day.mean",
    "transients.late_plus_vs_minus.mean", "transients.late_plus_vs_minus.p",
    "residual.opto_off.contrast.separation.mean", "residual.opto_on.contrast.separation.mean",
    "prediction.r"};

// Writes `document` to `path` through a temporary file and a rename, so that the file is either
// absent or complete.
void write_atomically(const fs::path& path, const json& document) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << document.dump(2) << '\n';
    if (!out.flush()) throw std::runtime_error("error while writing " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
}

json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.filename().string());
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

json marker(const Run& run, const std::string& status) {
  json m;
  m["format"] = "apical-sweep-run";
  m["format_version"] = 1;
  m["status"] = status;
  m["folder"] = run.folder;
  m["seed"] = run.seed;
  m["apical_version"] = apical_version();
  return m;
}

double number(const json& value) { return value.is_number() ? value.get<double>() : nan; }

Outcome finished_outcome(const fs::path& folder) {
  const json summary = read_json(folder / "summary.json");
  const json analysis = read_json(folder / "analysis.json");
  Outcome o;
  o.status = RunStatus::ok;
  const json& per_day = summary.at("per_day");
  const json empty = json::object();
  const json& first = per_day.empty() ? empty : per_day.front();
  const json& last = per_day.empty() ? empty : per_day.back();
  const auto field = [](const json& day, const char* key) { return day.contains(key) ? number(day[key]) : nan; };
  const double a1 = field(first, "accuracy_mean"), an = field(last, "accuracy_mean");
  o.values = {static_cast<double>(per_day.size()), a1, an, an - a1, field(first, "rewards_per_min_mean"),
              field(last, "rewards_per_min_mean")};
  const json& values = analysis.at("values");
  for (const std::string& name : analysis_columns)
    o.values.push_back(values.contains(name) ? number(values[name]) : nan);
  return o;
}

bool try_record_failure(const fs::path& folder, const Run& run, const std::string& error) {
  try {
    json m = marker(run, "failed");
    m["error"] = error;
    write_atomically(folder / failed_file, m);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::string to_string(RunStatus status) {
  switch (status) {
    case RunStatus::ok: return "ok";
    case RunStatus::failed: return "failed";
    case RunStatus::missing: return "missing";
  }
  return "?";
}

const std::vector<std::string>& headline_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c = summary_columns;
    c.insert(c.end(), analysis_columns.begin(), analysis_columns.end());
    return c;
  }();
  return columns;
}

void simulate_cohort(const Run& run, const std::string& folder) {
  BciScenario scenario = read_bci_scenario(run.scenario, "run " + std::to_string(run.index));
  scenario.file.clear();  // scenario.json is the run's own document, written by execute_run
  CohortRunOptions options;
  options.threads = 1;
  (void)run_cohort_folder(folder, scenario, run.resolved, options);
  const analysis::Cohort cohort = read_run_cohort(folder);
  const std::vector<analysis::NamedValue> rows = analysis::headline_rows(analysis::analyze_cohort(cohort));
  // "run" names the folder inside the sweep, so that the file does not depend on where OUT is.
  write_analysis_json((fs::path(folder) / "analysis.json").string(), run.folder, scenario.name, rows);
}

bool run_finished(const std::string& out, const Run& run) {
  std::error_code ec;
  return run.loads() && fs::is_regular_file(fs::path(out) / run.folder / complete_file, ec);
}

Outcome execute_run(const std::string& out, const Run& run, const Simulate& simulate) {
  if (!run.loads()) return read_outcome(out, run);
  const fs::path folder = fs::path(out) / run.folder;
  try {
    std::error_code ec;
    fs::remove_all(folder, ec);  // an unfinished earlier attempt
    if (ec) throw std::runtime_error("cannot clear " + folder.string() + ": " + ec.message());
    fs::create_directories(folder, ec);
    if (ec) throw std::runtime_error("cannot create " + folder.string() + ": " + ec.message());
    {
      std::ofstream s(folder / "scenario.json", std::ios::binary | std::ios::trunc);
      s << run.scenario.dump(2) << '\n';
      if (!s.flush()) throw std::runtime_error("cannot write " + (folder / "scenario.json").string());
    }
    simulate(run, folder.string());
    write_atomically(folder / complete_file, marker(run, "ok"));
  } catch (const std::exception& e) {
    if (!try_record_failure(folder, run, e.what()))
      return {RunStatus::failed, e.what(), {}};  // the folder is unusable; the message still reaches sweep.csv
  }
  return read_outcome(out, run);
}

void record_failure(const std::string& out, const Run& run, const std::string& error) {
  (void)try_record_failure(fs::path(out) / run.folder, run, error);
}

Outcome read_outcome(const std::string& out, const Run& run) {
  if (!run.loads()) return {RunStatus::failed, run.error, {}};
  const fs::path folder = fs::path(out) / run.folder;
  std::error_code ec;
  if (fs::is_regular_file(folder / complete_file, ec)) {
    try {
      return finished_outcome(folder);
    } catch (const std::exception& e) {
      return {RunStatus::failed, std::string("finished, but its results cannot be read: ") + e.what(), {}};
    }
  }
  if (fs::is_regular_file(folder / failed_file, ec)) {
    try {
      return {RunStatus::failed, read_json(folder / failed_file).at("error").get<std::string>(), {}};
    } catch (const std::exception& e) {
      return {RunStatus::failed, std::string("failed; failed.json cannot be read: ") + e.what(), {}};
    }
  }
  return {RunStatus::missing, fs::is_directory(folder, ec) ? "unfinished" : "not run", {}};
}

std::string outcome_to_json(const Outcome& outcome) {
  json j;
  j["status"] = to_string(outcome.status);
  j["error"] = outcome.error;
  json bits = json::array();  // exact: the bit patterns of the doubles, NaN included
  for (double v : outcome.values) bits.push_back(std::bit_cast<std::uint64_t>(v));
  j["values"] = std::move(bits);
  return j.dump();
}

Outcome outcome_from_json(const std::string& text) {
  const json j = json::parse(text);
  Outcome o;
  const std::string status = j.at("status").get<std::string>();
  o.status = status == "ok" ? RunStatus::ok : status == "failed" ? RunStatus::failed : RunStatus::missing;
  o.error = j.at("error").get<std::string>();
  for (const json& b : j.at("values")) o.values.push_back(std::bit_cast<double>(b.get<std::uint64_t>()));
  return o;
}

}  // namespace apical::sweep
