// transient_frequency.png (Fig. 1i): per population (P+, P−, P0) the mean somatic transient
// frequency on each day divided by its day-1 value, mean ± s.e.m. across mice; 1 = no change.
#include <vtkAxis.h>

#include "apical/viz/cohort_plots.hpp"
#include "chart_canvas.hpp"
#include "cohort_figures.hpp"

namespace apical::viz::detail {

void draw_transient_frequency(const CohortPlotData& data, const std::string& path) {
  const analysis::PopulationRates& p = data.population;
  const std::vector<double> days(p.days.begin(), p.days.end());
  const auto [width, height] = transient_frequency_size;
  ChartCanvas canvas(width, height);
  vtkChartXY& chart = canvas.add_chart(0.0f, 0.0f, static_cast<float>(width), static_cast<float>(height));

  if (!days.empty()) {
    const double ends[] = {days.front() - 0.5, days.back() + 0.5}, one[] = {1.0, 1.0};
    add_line(chart, ends, one, trial_start_colour, 1.5f, "", true);  // day-1 level
  }
  for (analysis::Role role : {analysis::Role::plus, analysis::Role::minus, analysis::Role::zero}) {
    const auto r = static_cast<std::size_t>(role);
    add_mean_with_sem(chart, days, p.mean[r], p.sem[r], role_colour(role), analysis::role_name(role));
  }
  label_chart(chart, data.cohort + ": transient frequency (mean +/- s.e.m., n = " + std::to_string(p.mice.size()) +
                         " mice)",
              "day", "transient frequency / day 1", true);
  set_day_axis(chart, days);
  canvas.write_png(path);
}

}  // namespace apical::viz::detail
