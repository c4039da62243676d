// residual_contrast.png (ED Fig. 13e, the sign by role): per role the SD-residual contrast (mean
// residual in error-reduction epochs − mean in error-increase epochs, opto-off events), one point per
// mouse, and the mean across mice ± s.e.m. as a bar in the role's colour with an error bar. P+ above 0 and P− below is
// the vectorised teaching signal; judge it against a no-teaching cohort (docs/analyses.md).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <vtkAxis.h>

#include "apical/analysis/statistics.hpp"
#include "apical/viz/cohort_plots.hpp"
#include "chart_canvas.hpp"
#include "cohort_figures.hpp"

namespace apical::viz::detail {

void draw_residual_contrast(const CohortPlotData& data, const std::string& path) {
  const analysis::ContrastSummary& c = data.contrast;
  const auto [width, height] = residual_contrast_size;
  ChartCanvas canvas(width, height);
  vtkChartXY& chart = canvas.add_chart(0.0f, 0.0f, static_cast<float>(width), static_cast<float>(height));

  const analysis::Role roles[] = {analysis::Role::plus, analysis::Role::minus, analysis::Role::zero};
  const double role_mean[] = {c.plus_mean, c.minus_mean, c.zero_mean};
  std::vector<double> point_x, point_y;
  std::vector<Segment> error_bars;
  for (std::size_t i = 0; i < 3; ++i) {
    const double x = static_cast<double>(i + 1);
    std::vector<double> per_mouse;
    for (std::size_t m = 0; m < c.mice.size(); ++m) {
      const analysis::MouseContrast& mouse = c.mice[m];
      const double value = i == 0 ? mouse.plus : i == 1 ? mouse.minus : mouse.zero;
      per_mouse.push_back(value);
      // Mice side by side within the bar, so equal values do not hide each other.
      const double spread = c.mice.size() > 1 ? static_cast<double>(m) / static_cast<double>(c.mice.size() - 1) : 0.5;
      point_x.push_back(x - 0.15 + 0.3 * spread);
      point_y.push_back(value);
    }
    add_bar(chart, x, 0.6, role_mean[i], role_colour(roles[i]));
    const double sem = analysis::sem(per_mouse);
    error_bars.push_back({x, role_mean[i] - sem, x, role_mean[i] + sem});
    error_bars.push_back({x - 0.08, role_mean[i] - sem, x + 0.08, role_mean[i] - sem});
    error_bars.push_back({x - 0.08, role_mean[i] + sem, x + 0.08, role_mean[i] + sem});
  }
  const double ends[] = {0.4, 3.6}, zero[] = {0.0, 0.0};
  add_line(chart, ends, zero, mean_colour, 1.0f, "");
  add_segments(chart, error_bars, mean_colour, 2.0f, "");
  add_points(chart, point_x, point_y, mean_colour, 9.0f, "one mouse");

  char separation[160];
  std::snprintf(separation, sizeof separation, "P+ - P- = %.3g +/- %.2g s.e.m., %zu of %zu mice",
                c.separation_mean, c.separation_sem, c.mice_with_separation, c.mice.size());
  label_chart(chart, data.cohort + ": SD residual contrast by role", separation,
              "contrast (residual z, reduction - increase)", true);
  // Room around the outermost point or error bar, so no marker sits on the frame.
  double lo = 0.0, hi = 0.0;
  for (double v : point_y)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  for (const Segment& s : error_bars)
    if (std::isfinite(s.y0) && std::isfinite(s.y1)) lo = std::min({lo, s.y0, s.y1}), hi = std::max({hi, s.y0, s.y1});
  const double margin = hi > lo ? 0.1 * (hi - lo) : 1.0;
  fix_axis_range(chart, vtkAxis::LEFT, lo - margin, hi + margin);
  const double ticks[] = {1.0, 2.0, 3.0};
  set_ticks(chart, vtkAxis::BOTTOM, ticks, {"P+", "P-", "P0"});
  fix_axis_range(chart, vtkAxis::BOTTOM, 0.4, 3.6);
  canvas.write_png(path);
}

}  // namespace apical::viz::detail
