#include "apical/io/cohort_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <stdexcept>

namespace apical {
namespace {

namespace fs = std::filesystem;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct MeanSem {
  double mean = nan, sem = nan;
  std::size_t n = 0;
};

MeanSem mean_sem(const std::vector<double>& values) {
  MeanSem out;
  std::vector<double> finite;
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  out.n = finite.size();
  if (finite.empty()) return out;
  double sum = 0;
  for (double v : finite) sum += v;
  out.mean = sum / static_cast<double>(finite.size());
  if (finite.size() < 2) return out;
  double ss = 0;
  for (double v : finite) ss += (v - out.mean) * (v - out.mean);
  out.sem = std::sqrt(ss / static_cast<double>(finite.size() - 1)) / std::sqrt(static_cast<double>(finite.size()));
  return out;
}

// Files of an earlier run that this run would not overwrite: other mice, an old analysis.
void remove_stale_outputs(const fs::path& folder) {
  std::error_code ec;
  fs::remove(folder / "analysis.json", ec);
  if (!fs::is_directory(folder / "mice", ec)) return;
  static const std::regex mouse_file(R"(m\d+\.h5)");
  for (const fs::directory_entry& e : fs::directory_iterator(folder / "mice", ec))
    if (e.is_regular_file() && std::regex_match(e.path().filename().string(), mouse_file)) fs::remove(e.path(), ec);
}

void copy_scenario(const std::string& source, const fs::path& target) {
  std::error_code ec;
  if (fs::exists(target) && fs::equivalent(source, target, ec)) return;  // rerun of a copied scenario
  fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
  if (ec) throw std::runtime_error("cannot copy " + source + " to " + target.string() + ": " + ec.message());
}

void write_json(const fs::path& path, const nlohmann::json& document) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << document.dump(2) << '\n';
  if (!out.flush()) throw std::runtime_error("error while writing " + path.string());
}

}  // namespace

std::vector<DaySummary> summarise_days(const std::vector<SessionRow>& rows) {
  struct MouseDay {
    std::size_t hits = 0, decided = 0;
    std::vector<double> rewards_per_min;
  };
  std::map<std::int32_t, std::map<std::uint64_t, MouseDay>> by_day;
  std::map<std::int32_t, std::vector<double>> chance, chance_baseline;
  for (const SessionRow& r : rows) {
    MouseDay& m = by_day[r.day][r.mouse];
    m.hits += r.hits;
    m.decided += r.hits + r.misses;
    m.rewards_per_min.push_back(r.rewards_per_min);
    chance[r.day].push_back(r.chance);
    chance_baseline[r.day].push_back(r.chance_baseline);
  }
  std::vector<DaySummary> out;
  for (const auto& [day, mice] : by_day) {
    std::vector<double> accuracy, rewards;
    for (const auto& [mouse, m] : mice) {
      accuracy.push_back(m.decided ? static_cast<double>(m.hits) / static_cast<double>(m.decided) : nan);
      rewards.push_back(mean_sem(m.rewards_per_min).mean);
    }
    const MeanSem a = mean_sem(accuracy), rw = mean_sem(rewards);
    out.push_back(
        {day, a.n, a.mean, a.sem, mean_sem(chance[day]).mean, mean_sem(chance_baseline[day]).mean, rw.mean, rw.sem});
  }
  return out;
}

CohortRunResult run_cohort_folder(const std::string& folder, const BciScenario& scenario,
                                  const nlohmann::json& resolved, const CohortRunOptions& options) {
  if (options.threads == 0) throw std::invalid_argument("run_cohort_folder: threads must be >= 1");
  const fs::path root(folder);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) throw std::runtime_error("cannot create the output folder " + folder + ": " + ec.message());
  remove_stale_outputs(root);

  std::vector<std::string> relative;
  if (!scenario.file.empty()) {
    copy_scenario(scenario.file, root / "scenario.json");
    relative.emplace_back("scenario.json");
  }
  write_json(root / "scenario_resolved.json", resolved);
  relative.emplace_back("scenario_resolved.json");

  CohortRecorder recorder(folder, scenario.name);
  const auto start = std::chrono::steady_clock::now();
  const bci::CohortOptions cohort{scenario.mice, scenario.first_mouse, options.threads};
  (void)bci::run_cohort(
      scenario.spec, cohort,
      [&recorder](const bci::MouseSetup& setup, bci::SessionRecord&& session) {
        recorder.record(setup, std::move(session));
      },
      options.progress);
  CohortRunResult result;
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.threads = static_cast<unsigned>(std::min<std::size_t>(options.threads, scenario.mice));
  result.days = summarise_days(recorder.session_rows());

  for (const std::string& path : recorder.mouse_files())
    relative.push_back(fs::relative(path, root).generic_string());
  (void)recorder.write_tables();
  relative.emplace_back("days.csv");
  relative.emplace_back("trials.csv");
  relative.emplace_back("summary.json");
  for (const std::string& r : relative) result.files.push_back((root / r).string());
  write_cohort_summary_json((root / "summary.json").string(), scenario, result, relative);
  return result;
}

}  // namespace apical
