#pragma once
// One function per picture of cohort_plots.hpp; each writes one PNG at `path`.
#include <string>

#include "apical/viz/cohort_plot_data.hpp"

namespace apical::viz::detail {

void draw_learning_curves(const CohortPlotData& data, const std::string& path);
void draw_transient_frequency(const CohortPlotData& data, const std::string& path);
void draw_example_traces(const CohortPlotData& data, const std::string& path);
void draw_residual_contrast(const CohortPlotData& data, const std::string& path);

}  // namespace apical::viz::detail
