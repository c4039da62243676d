// summary.json of a BCI cohort run (cohort_run.hpp).
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "apical/io/cohort_run.hpp"
#include "apical/io/version.hpp"

namespace apical {
namespace {

using ordered = nlohmann::ordered_json;

ordered number_or_null(double v) { return std::isfinite(v) ? ordered(v) : ordered(nullptr); }

}  // namespace

void write_cohort_summary_json(const std::string& path, const BciScenario& scenario, const CohortRunResult& result,
                               const std::vector<std::string>& files) {
  const bci::ExperimentSpec& spec = scenario.spec;
  ordered doc;
  doc["format"] = "apical-bci-summary";
  doc["format_version"] = 1;
  doc["apical_version"] = apical_version();
  doc["scenario"] = scenario.name;
  doc["description"] = scenario.description;
  doc["scenario_file"] = scenario.file;
  doc["seed"] = spec.seed;
  doc["mice"] = scenario.mice;
  doc["first_mouse"] = scenario.first_mouse;
  doc["days"] = spec.schedule.days;
  doc["sessions_per_day"] = spec.schedule.sessions_per_day;
  doc["session_min"] = spec.schedule.session_min;
  doc["neurons"] = {{"plus", spec.field_of_view.n_plus},
                    {"minus", spec.field_of_view.n_minus},
                    {"zero", spec.field_of_view.n_zero}};
  doc["rule"] = spec.learning.rule;
  doc["feedback"] = bci::to_string(spec.teaching.feedback);
  doc["opto"] = bci::to_string(spec.manipulations.opto.kind);
  doc["calibration_policy"] = bci::to_string(spec.schedule.calibration_policy);
  doc["stabilisers"] = bci::stabiliser_summary(spec);
  doc["wall_seconds"] = result.wall_seconds;
  doc["threads"] = result.threads;
  ordered days = ordered::array();
  for (const DaySummary& d : result.days)
    days.push_back({{"day", d.day},
                    {"mice", d.mice},
                    {"accuracy_mean", number_or_null(d.accuracy_mean)},
                    {"accuracy_sem", number_or_null(d.accuracy_sem)},
                    {"chance_mean", number_or_null(d.chance_mean)},
                    {"chance_baseline_mean", number_or_null(d.chance_baseline_mean)},
                    {"rewards_per_min_mean", number_or_null(d.rewards_per_min_mean)},
                    {"rewards_per_min_sem", number_or_null(d.rewards_per_min_sem)}});
  doc["per_day"] = std::move(days);
  doc["files"] = files;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << doc.dump(2) << '\n';
  if (!out.flush()) throw std::runtime_error("error while writing " + path);
}

}  // namespace apical
