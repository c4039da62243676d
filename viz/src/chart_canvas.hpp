#pragma once
// A picture made of VTK 2-D charts (vtkChartXY), drawn offscreen and written as PNG, and the few
// plot kinds the cohort pictures use. The caller holds a DisplayLease: VTK's render window needs X.
#include <span>
#include <string>
#include <vector>

#include <vtkChartXY.h>
#include <vtkContextView.h>
#include <vtkNew.h>

#include "apical/viz/role_colours.hpp"

namespace apical::viz::detail {

// Text sizes (points) readable when the picture is shown at half its size in a document.
inline constexpr int title_font_size = 22;
inline constexpr int axis_title_font_size = 20;
inline constexpr int tick_label_font_size = 18;
inline constexpr int legend_font_size = 17;

class ChartCanvas {
 public:
  ChartCanvas(int width, int height);
  // A chart filling `left, bottom, width, height` (pixels from the lower left corner) of the picture.
  vtkChartXY& add_chart(float left, float bottom, float width, float height);
  // Renders and writes the picture; std::runtime_error naming the file when it cannot be written.
  void write_png(const std::string& path);

 private:
  vtkNew<vtkContextView> view_;
  int width_, height_;
};

// Title, axis titles and the text sizes above; legend top right when `legend`.
void label_chart(vtkChartXY& chart, const std::string& title, const std::string& x_title, const std::string& y_title,
                 bool legend);

// A fixed axis range (vtkAxis::LEFT, BOTTOM, ...).
void fix_axis_range(vtkChartXY& chart, int axis, double minimum, double maximum);

// Ticks at `positions` with `labels` (e.g. the days, or the role names).
void set_ticks(vtkChartXY& chart, int axis, std::span<const double> positions, const std::vector<std::string>& labels);

// A polyline through the points where both x and y are finite; `label` empty keeps it out of the legend.
void add_line(vtkChartXY& chart, std::span<const double> x, std::span<const double> y, Rgb colour, float width,
              const std::string& label, bool dashed = false);

// A shaded band between lo and hi (e.g. mean ± s.e.m.) where all three are finite.
void add_band(vtkChartXY& chart, std::span<const double> x, std::span<const double> lo, std::span<const double> hi,
              Rgb colour, double opacity);

// Markers at the finite points.
void add_points(vtkChartXY& chart, std::span<const double> x, std::span<const double> y, Rgb colour, float size,
                const std::string& label);

// Separate straight segments (x0, y0) → (x1, y1), e.g. event markers or error bars.
struct Segment {
  double x0, y0, x1, y1;
};
void add_segments(vtkChartXY& chart, const std::vector<Segment>& segments, Rgb colour, float width,
                  const std::string& label);

// Mean ± s.e.m. over x: a shaded band and the mean line on top.
void add_mean_with_sem(vtkChartXY& chart, std::span<const double> x, std::span<const double> mean,
                       std::span<const double> sem, Rgb colour, const std::string& label);

// The bottom axis shows training days: a tick at every day (up to 20 days, else VTK's own ticks),
// half a day of margin on either side.
void set_day_axis(vtkChartXY& chart, std::span<const double> days);

// A bar from 0 to `value`, centred on `x`. (A filled area: vtkPlotBar sets several bar plots of one
// chart side by side, away from their x.)
void add_bar(vtkChartXY& chart, double x, double width, double value, Rgb colour);

}  // namespace apical::viz::detail
