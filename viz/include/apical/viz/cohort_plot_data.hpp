#pragma once
// What the cohort pictures of `apical plot` show (docs/plots.md), taken from the cohort analyses
// (analysis/) with their default options, so the pictures show the numbers of analysis.json:
// learning curves with the baseline chance line (Fig. 1g), somatic transient frequency per population
// normalised to day 1 (Fig. 1i), the residual contrast by role per mouse (opto-off events, ED Fig. 13e),
// and one session of one mouse for example traces. No drawing here.
#include <string>

#include "apical/analysis/learning_curves.hpp"
#include "apical/analysis/residual_contrast.hpp"
#include "apical/analysis/session.hpp"
#include "apical/analysis/transients.hpp"

namespace apical::viz {

struct CohortPlotData {
  std::string cohort;                  // the scenario name, for titles
  analysis::LearningCurves learning;
  analysis::PopulationRates population;
  analysis::ContrastSummary contrast;  // opto-off events, all days
  analysis::Session example;           // the first mouse's last day, first session
};

// Runs the analyses the pictures need. Throws std::invalid_argument (analysis::validate) for an
// inconsistent cohort and for one without sessions.
[[nodiscard]] CohortPlotData cohort_plot_data(const analysis::Cohort& cohort);

}  // namespace apical::viz
