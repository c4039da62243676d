#include "picture_scene.hpp"

#include "window_png.hpp"

#include <cmath>
#include <cstdio>

#include <vtkActor2D.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty2D.h>
#include <vtkScalarBarActor.h>
#include <vtkTextProperty.h>

namespace apical::viz::detail {
namespace {

// Fractions of the picture: the colour bar takes the right strip, the title the top band and the
// scale bar the bottom band; the cell is framed in the rest with a small margin.
constexpr double colour_bar_strip = 0.2;
constexpr double top_band = 0.1, bottom_band = 0.1, margin = 0.95;
constexpr int scale_bar_inset_px = 30;

void black_text(vtkTextProperty& p, int size, bool bold) {
  p.SetColor(0.0, 0.0, 0.0);
  p.SetFontSize(size);
  p.SetBold(bold);
  p.SetItalic(false);
  p.SetShadow(false);
}

}  // namespace

double round_length(double limit) {
  const double decade = std::pow(10.0, std::floor(std::log10(limit)));
  for (double step : {5.0, 2.0, 1.0})
    if (step * decade <= limit) return step * decade;
  return decade;
}

PictureScene::PictureScene(int width, int height) : width_(width), height_(height) {
  renderer_->SetBackground(1.0, 1.0, 1.0);
  window_->SetOffScreenRendering(1);
  window_->SetMultiSamples(0);  // flat colours stay exact (the colour bar, role colours)
  window_->SetSize(width, height);
  window_->AddRenderer(renderer_);
  black_text(*title_->GetTextProperty(), picture_title_font_size, true);
  title_->SetDisplayPosition(20, height - 20 - picture_title_font_size);
  renderer_->AddActor2D(title_);
}

void PictureScene::set_title(const std::string& title) { title_->SetInput(title.c_str()); }

void PictureScene::add_legend(const std::vector<std::pair<std::string, Rgb>>& entries) {
  int y = height_ - 2 * (20 + picture_title_font_size);
  for (const auto& [name, colour] : entries) {
    vtkNew<vtkTextActor> text;
    text->SetInput(name.c_str());
    vtkTextProperty& p = *text->GetTextProperty();
    black_text(p, picture_label_font_size, true);
    p.SetColor(colour.r / 255.0, colour.g / 255.0, colour.b / 255.0);
    p.SetJustificationToRight();
    text->SetDisplayPosition(width_ - 20, y);
    renderer_->AddActor2D(text);
    y -= picture_label_font_size + 8;
  }
}

void PictureScene::add_colour_bar(vtkScalarsToColors* colours, const std::string& title) {
  vtkNew<vtkScalarBarActor> bar;
  bar->SetLookupTable(colours);
  bar->SetTitle(title.c_str());
  bar->SetNumberOfLabels(5);
  bar->SetLabelFormat("%-#6.3g");
  bar->SetMaximumNumberOfColors(256);
  bar->UnconstrainedFontSizeOn();
  bar->SetBarRatio(0.35);
  bar->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  bar->GetPositionCoordinate()->SetValue(1.0 - colour_bar_strip + 0.02, bottom_band);
  bar->SetWidth(colour_bar_strip - 0.04);
  bar->SetHeight(1.0 - top_band - bottom_band);
  black_text(*bar->GetTitleTextProperty(), picture_label_font_size, true);
  black_text(*bar->GetLabelTextProperty(), picture_label_font_size, false);
  renderer_->AddActor2D(bar);
  colour_bar_ = true;
}

double PictureScene::frame(const std::array<double, 6>& b) {
  const double free_width = width_ * (colour_bar_ ? 1.0 - colour_bar_strip : 1.0);
  const double free_height = height_ * (1.0 - top_band - bottom_band);
  const double span_x = std::max(b[1] - b[0], 1.0), span_y = std::max(b[3] - b[2], 1.0);
  const double px_per_um = margin * std::min(free_width / span_x, free_height / span_y);
  // Centre the cell in the free part: shift the focal point by the free part's offset from the middle.
  const double focal_x = 0.5 * (b[0] + b[1]) + (0.5 * width_ - 0.5 * free_width) / px_per_um;
  const double focal_y = 0.5 * (b[2] + b[3]) + (0.5 * height_ - (bottom_band * height_ + 0.5 * free_height)) / px_per_um;
  vtkCamera* camera = renderer_->GetActiveCamera();
  camera->ParallelProjectionOn();
  camera->SetFocalPoint(focal_x, focal_y, 0.5 * (b[4] + b[5]));
  camera->SetPosition(focal_x, focal_y, b[5] + 1000.0 + (b[5] - b[4]));
  camera->SetViewUp(0.0, 1.0, 0.0);
  camera->SetParallelScale(0.5 * height_ / px_per_um);
  renderer_->ResetCameraClippingRange();

  const double length_um = round_length(0.25 * free_width / px_per_um);
  const double length_px = length_um * px_per_um;
  vtkNew<vtkPoints> points;
  points->InsertNextPoint(scale_bar_inset_px, scale_bar_inset_px, 0.0);
  points->InsertNextPoint(scale_bar_inset_px + length_px, scale_bar_inset_px, 0.0);
  vtkNew<vtkCellArray> line;
  const vtkIdType ends[] = {0, 1};
  line->InsertNextCell(2, ends);
  vtkNew<vtkPolyData> bar;
  bar->SetPoints(points);
  bar->SetLines(line);
  vtkNew<vtkPolyDataMapper2D> mapper;
  mapper->SetInputData(bar);
  vtkNew<vtkActor2D> bar_actor;
  bar_actor->SetMapper(mapper);
  bar_actor->GetProperty()->SetColor(0.0, 0.0, 0.0);
  bar_actor->GetProperty()->SetLineWidth(5.0f);
  renderer_->AddActor2D(bar_actor);
  char text[48];
  std::snprintf(text, sizeof text, "%g \xC2\xB5m", length_um);  // µ in UTF-8
  vtkNew<vtkTextActor> label;
  label->SetInput(text);
  black_text(*label->GetTextProperty(), picture_label_font_size, false);
  label->SetDisplayPosition(scale_bar_inset_px, scale_bar_inset_px + 10);
  renderer_->AddActor2D(label);
  return px_per_um;
}

void PictureScene::write_png(const std::string& path) {
  renderer_->ResetCameraClippingRange();  // the props may have grown since frame()
  window_->Render();
  write_window_png(*window_, path);
}

}  // namespace apical::viz::detail
