#pragma once
// A 3-D picture seen from +z with y up in parallel projection, so that one µm is the same number of
// pixels everywhere and a scale bar is true: white background, a title, an optional colour bar on the
// right, a scale bar at the bottom left, written as PNG. The caller holds a DisplayLease.
#include <array>
#include <string>
#include <utility>
#include <vector>

#include <vtkNew.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkScalarsToColors.h>
#include <vtkTextActor.h>

#include "apical/viz/role_colours.hpp"

namespace apical::viz::detail {

inline constexpr int picture_title_font_size = 22;
inline constexpr int picture_label_font_size = 18;

class PictureScene {
 public:
  PictureScene(int width, int height);

  vtkRenderer& renderer() { return *renderer_; }
  // A colour bar for `colours` (their range) titled with the quantity and its unit; leaves the right
  // part of the picture to it.
  void add_colour_bar(vtkScalarsToColors* colours, const std::string& title);
  void set_title(const std::string& title);
  // Names in their colours, one a line, at the top right below the title.
  void add_legend(const std::vector<std::pair<std::string, Rgb>>& entries);
  // Frames `bounds` (µm, {x0, x1, y0, y1, z0, z1}) in the free part of the picture and adds the scale
  // bar; returns the pixels per µm.
  double frame(const std::array<double, 6>& bounds);
  void write_png(const std::string& path);

 private:
  int width_, height_;
  bool colour_bar_ = false;
  vtkNew<vtkRenderWindow> window_;
  vtkNew<vtkRenderer> renderer_;
  vtkNew<vtkTextActor> title_;
};

// The largest 1, 2 or 5 × 10^k not above `limit` (> 0): a scale bar length that reads well.
double round_length(double limit);

}  // namespace apical::viz::detail
