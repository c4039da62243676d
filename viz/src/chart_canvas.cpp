#include "chart_canvas.hpp"

#include <cmath>

#include <vtkAxis.h>
#include <vtkBrush.h>
#include <vtkChartLegend.h>
#include <vtkContextScene.h>
#include <vtkDoubleArray.h>
#include <vtkPen.h>
#include <vtkPlotArea.h>
#include <vtkPlotLine.h>
#include <vtkPlotPoints.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkStringArray.h>
#include <vtkTable.h>
#include <vtkTextProperty.h>

#include "window_png.hpp"

namespace apical::viz::detail {
namespace {

// A table of named double columns with the rows where every value is finite.
vtkSmartPointer<vtkTable> finite_table(const std::vector<std::string>& names,
                                       const std::vector<std::span<const double>>& columns) {
  auto table = vtkSmartPointer<vtkTable>::New();
  std::vector<vtkNew<vtkDoubleArray>> arrays(names.size());
  for (std::size_t c = 0; c < names.size(); ++c) arrays[c]->SetName(names[c].c_str());
  const std::size_t rows = columns.empty() ? 0 : columns.front().size();
  for (std::size_t r = 0; r < rows; ++r) {
    bool finite = true;
    for (const auto& column : columns) finite = finite && r < column.size() && std::isfinite(column[r]);
    if (!finite) continue;
    for (std::size_t c = 0; c < columns.size(); ++c) arrays[c]->InsertNextValue(columns[c][r]);
  }
  for (auto& a : arrays) table->AddColumn(a);
  return table;
}

void set_colour(vtkPlot& plot, Rgb colour) { plot.SetColor(colour.r, colour.g, colour.b, 255); }

// Adds the plot when its table has `minimum_rows` (VTK reports an error for a line of fewer than 2).
void add_plot(vtkChartXY& chart, vtkPlot* plot, vtkTable* table, const std::string& label,
              vtkIdType minimum_rows) {
  if (table->GetNumberOfRows() < minimum_rows) return;
  plot->SetInputData(table, 0, 1);
  plot->SetLabel(label);
  plot->SetLegendVisibility(!label.empty());
  chart.AddPlot(plot);
}

}  // namespace

ChartCanvas::ChartCanvas(int width, int height) : width_(width), height_(height) {
  view_->GetRenderer()->SetBackground(1.0, 1.0, 1.0);
  view_->GetRenderWindow()->SetOffScreenRendering(true);
  view_->GetRenderWindow()->SetSize(width, height);
}

vtkChartXY& ChartCanvas::add_chart(float left, float bottom, float width, float height) {
  vtkNew<vtkChartXY> chart;
  // Fixed margins for tick labels, axis titles and the chart title: VTK's own layout (FILL_RECT)
  // measures the labels at their default size and lets the axis title overlap them.
  constexpr float margin_left = 115.0f, margin_bottom = 70.0f, margin_right = 25.0f, margin_top = 45.0f;
  chart->SetLayoutStrategy(vtkChart::AXES_TO_RECT);
  chart->SetSize(vtkRectf(left + margin_left, bottom + margin_bottom, width - margin_left - margin_right,
                          height - margin_bottom - margin_top));
  view_->GetScene()->AddItem(chart);
  return *chart;  // the scene holds it
}

void ChartCanvas::write_png(const std::string& path) {
  vtkRenderWindow* window = view_->GetRenderWindow();
  window->SetSize(width_, height_);
  window->Render();
  write_window_png(*window, path);
}

void label_chart(vtkChartXY& chart, const std::string& title, const std::string& x_title, const std::string& y_title,
                 bool legend) {
  chart.SetTitle(title);
  chart.GetTitleProperties()->SetFontSize(title_font_size);
  chart.GetTitleProperties()->SetBold(true);
  const std::pair<int, const std::string*> axes[] = {{vtkAxis::BOTTOM, &x_title}, {vtkAxis::LEFT, &y_title}};
  for (const auto& [index, text] : axes) {
    vtkAxis* axis = chart.GetAxis(index);
    axis->SetTitle(*text);
    axis->GetTitleProperties()->SetFontSize(axis_title_font_size);
    axis->GetTitleProperties()->SetBold(false);
    axis->GetLabelProperties()->SetFontSize(tick_label_font_size);
    axis->SetGridVisible(false);
  }

  chart.SetShowLegend(legend);
  if (legend) {
    chart.GetLegend()->SetLabelSize(legend_font_size);
    chart.GetLegend()->SetHorizontalAlignment(vtkChartLegend::RIGHT);
    chart.GetLegend()->SetVerticalAlignment(vtkChartLegend::TOP);
  }
}

void fix_axis_range(vtkChartXY& chart, int axis, double minimum, double maximum) {
  chart.GetAxis(axis)->SetBehavior(vtkAxis::FIXED);
  chart.GetAxis(axis)->SetRange(minimum, maximum);
}

void set_ticks(vtkChartXY& chart, int axis, std::span<const double> positions, const std::vector<std::string>& labels) {
  vtkNew<vtkDoubleArray> at;
  vtkNew<vtkStringArray> text;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    at->InsertNextValue(positions[i]);
    text->InsertNextValue(labels.at(i));
  }
  chart.GetAxis(axis)->SetCustomTickPositions(at, text);
}

void add_line(vtkChartXY& chart, std::span<const double> x, std::span<const double> y, Rgb colour, float width,
              const std::string& label, bool dashed) {
  vtkNew<vtkPlotLine> line;
  set_colour(*line, colour);
  line->SetWidth(width);
  if (dashed) line->GetPen()->SetLineType(vtkPen::DASH_LINE);
  add_plot(chart, line, finite_table({"x", "y"}, {x, y}), label, 2);
}

void add_band(vtkChartXY& chart, std::span<const double> x, std::span<const double> lo, std::span<const double> hi,
              Rgb colour, double opacity) {
  std::vector<double> fx, flo, fhi;
  for (std::size_t i = 0; i < x.size() && i < lo.size() && i < hi.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(lo[i]) && std::isfinite(hi[i]))
      fx.push_back(x[i]), flo.push_back(lo[i]), fhi.push_back(hi[i]);
  if (fx.size() < 2) return;
  if (fx.size() == 2) {
    // VTK 9.1's vtkPlotArea draws nothing for two points; the midpoint changes no edge.
    fx.insert(fx.begin() + 1, (fx[0] + fx[1]) / 2);
    flo.insert(flo.begin() + 1, (flo[0] + flo[1]) / 2);
    fhi.insert(fhi.begin() + 1, (fhi[0] + fhi[1]) / 2);
  }
  const vtkSmartPointer<vtkTable> table = finite_table({"x", "lo", "hi"}, {fx, flo, fhi});
  vtkNew<vtkPlotArea> band;
  band->SetInputData(table);
  band->SetInputArray(0, "x");
  band->SetInputArray(1, "lo");
  band->SetInputArray(2, "hi");
  band->GetBrush()->SetColor(colour.r, colour.g, colour.b, static_cast<unsigned char>(std::lround(255 * opacity)));
  band->SetLegendVisibility(false);
  chart.AddPlot(band);
}

void add_points(vtkChartXY& chart, std::span<const double> x, std::span<const double> y, Rgb colour, float size,
                const std::string& label) {
  vtkNew<vtkPlotPoints> points;
  set_colour(*points, colour);
  points->SetMarkerStyle(vtkPlotPoints::CIRCLE);
  points->SetMarkerSize(size);
  add_plot(chart, points, finite_table({"x", "y"}, {x, y}), label, 1);
}

void add_segments(vtkChartXY& chart, const std::vector<Segment>& segments, Rgb colour, float width,
                  const std::string& label) {
  std::vector<double> x, y;
  for (const Segment& s : segments) {
    if (!std::isfinite(s.x0) || !std::isfinite(s.y0) || !std::isfinite(s.x1) || !std::isfinite(s.y1)) continue;
    x.insert(x.end(), {s.x0, s.x1});
    y.insert(y.end(), {s.y0, s.y1});
  }
  vtkNew<vtkPlotLine> lines;
  lines->SetPolyLine(false);  // consecutive point pairs are separate segments
  set_colour(*lines, colour);
  lines->SetWidth(width);
  add_plot(chart, lines, finite_table({"x", "y"}, {x, y}), label, 2);
}

void add_mean_with_sem(vtkChartXY& chart, std::span<const double> x, std::span<const double> mean,
                       std::span<const double> sem, Rgb colour, const std::string& label) {
  std::vector<double> lo(mean.size()), hi(mean.size());
  for (std::size_t i = 0; i < mean.size(); ++i) {
    lo[i] = mean[i] - sem[i];
    hi[i] = mean[i] + sem[i];
  }
  add_band(chart, x, lo, hi, colour, 0.25);
  add_line(chart, x, mean, colour, 3.0f, label);
}

void set_day_axis(vtkChartXY& chart, std::span<const double> days) {
  if (days.empty()) return;
  fix_axis_range(chart, vtkAxis::BOTTOM, days.front() - 0.5, days.back() + 0.5);
  constexpr std::size_t max_labelled_days = 20;
  if (days.size() > max_labelled_days) return;
  std::vector<std::string> labels;
  for (double d : days) labels.push_back(std::to_string(std::lround(d)));
  set_ticks(chart, vtkAxis::BOTTOM, days, labels);
}

void add_bar(vtkChartXY& chart, double x, double width, double value, Rgb colour) {
  const double sides[] = {x - width / 2, x + width / 2}, base[] = {0.0, 0.0}, top[] = {value, value};
  add_band(chart, sides, base, top, colour, 1.0);
}

}  // namespace apical::viz::detail
