// learning_curves.png (Fig. 1g): accuracy and rewards/min per day, mean ± s.e.m. across mice; the
// accuracy panel carries the baseline chance line (chance on the calibration block in force).
#include <algorithm>
#include <cmath>

#include <vtkAxis.h>

#include "apical/viz/cohort_plots.hpp"
#include "chart_canvas.hpp"
#include "cohort_figures.hpp"

namespace apical::viz::detail {

void draw_learning_curves(const CohortPlotData& data, const std::string& path) {
  const analysis::LearningCurves& l = data.learning;
  const std::vector<double> days(l.days.begin(), l.days.end());
  const std::string n_mice = "mean +/- s.e.m., n = " + std::to_string(l.mice.size()) + " mice";
  const auto [width, height] = learning_curves_size;
  ChartCanvas canvas(width, height);
  const float panel = static_cast<float>(width) / 2.0f;

  vtkChartXY& accuracy = canvas.add_chart(0.0f, 0.0f, panel, static_cast<float>(height));
  add_mean_with_sem(accuracy, days, l.accuracy.mean, l.accuracy.sem, mean_colour, n_mice);
  add_line(accuracy, days, l.chance_baseline.mean, chance_colour, 3.0f, "chance (baseline)", true);
  label_chart(accuracy, data.cohort + ": accuracy", "day", "accuracy (hits / decided trials)", true);
  fix_axis_range(accuracy, vtkAxis::LEFT, 0.0, 1.05);
  set_day_axis(accuracy, days);

  vtkChartXY& rewards = canvas.add_chart(panel, 0.0f, panel, static_cast<float>(height));
  add_mean_with_sem(rewards, days, l.rewards_per_min.mean, l.rewards_per_min.sem, mean_colour, n_mice);
  label_chart(rewards, data.cohort + ": rewards per minute", "day", "rewards / min", true);
  double highest = 0.0;
  for (std::size_t d = 0; d < days.size(); ++d)
    if (std::isfinite(l.rewards_per_min.mean[d]))
      highest = std::max(highest, l.rewards_per_min.mean[d] + std::max(0.0, l.rewards_per_min.sem[d]));
  fix_axis_range(rewards, vtkAxis::LEFT, 0.0, highest > 0.0 ? 1.1 * highest : 1.0);
  set_day_axis(rewards, days);

  canvas.write_png(path);
}

}  // namespace apical::viz::detail
