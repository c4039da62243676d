#include "apical/viz/cohort_plot_data.hpp"

#include <stdexcept>
#include <tuple>

#include "apical/analysis/sd_residual.hpp"

namespace apical::viz {
namespace {

// The first mouse's last day, first session: late enough to show what the mouse learnt.
const analysis::Session& example_session(const analysis::Cohort& cohort) {
  const std::string first_mouse = analysis::mouse_ids(cohort).front();
  const analysis::Session* chosen = nullptr;
  for (const analysis::Session& s : cohort.sessions)
    if (s.mouse_id == first_mouse &&
        (chosen == nullptr || std::tuple(-s.day, s.session) < std::tuple(-chosen->day, chosen->session)))
      chosen = &s;
  return *chosen;
}

}  // namespace

CohortPlotData cohort_plot_data(const analysis::Cohort& cohort) {
  if (cohort.sessions.empty()) throw std::invalid_argument("cohort '" + cohort.name + "' has no sessions to plot");
  analysis::validate(cohort);
  CohortPlotData data;
  data.cohort = cohort.name;
  // The steps of analysis::analyze_cohort that the pictures need, with the same (default) options.
  std::vector<analysis::SessionTransients> transients;
  transients.reserve(cohort.sessions.size());
  for (const analysis::Session& s : cohort.sessions) transients.push_back(analysis::detect_session_transients(s));
  data.learning = analysis::learning_curves(cohort);
  data.population = analysis::population_rates(analysis::transient_rates(cohort, transients));
  analysis::ContrastOptions opto_off;
  opto_off.opto = analysis::OptoFilter::off;
  data.contrast = analysis::residual_contrast(cohort, analysis::sd_residuals(cohort, transients), opto_off);
  data.example = example_session(cohort);
  return data;
}

}  // namespace apical::viz
