#pragma once
// A picture of one cell (cell_shape.hpp) as tubes, either coloured by one value per segment on a
// colour scale with a colour bar (the soma's ball too), or plain (schematic cells) or by neurite type
// (reconstructions and imported cells);
// always with a title and a scale bar. Drawn offscreen and written as PNG; for an animation, set new
// values and write again (the scene is built once).
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "apical/viz/cell_shape.hpp"
#include "apical/viz/display.hpp"
#include "apical/viz/role_colours.hpp"

namespace apical::viz {

// Neurite colours of shape-only pictures of reconstructions (Okabe–Ito), and of schematic cells.
inline constexpr Rgb soma_colour{60, 60, 60};
inline constexpr Rgb axon_colour{0, 158, 115};
inline constexpr Rgb basal_colour{86, 180, 233};
inline constexpr Rgb apical_colour{204, 121, 167};
inline constexpr Rgb plain_cell_colour{110, 110, 110};

Rgb neurite_colour(NeuriteType type);

struct ColourScale {
  std::string title;  // quantity and unit, e.g. "V (mV)"
  double low = 0, high = 1;
};

struct PictureSize {
  int width = 900, height = 900;
};

class CellPicture {
 public:
  // Holds a DisplayLease for its life (NoDisplayError where no X display can be had). With a scale,
  // the shape must come from a cell (schematic or traced: one value per segment);
  // std::invalid_argument otherwise.
  CellPicture(const CellShape& shape, std::optional<ColourScale> scale, PictureSize size);
  ~CellPicture();
  CellPicture(const CellPicture&) = delete;
  CellPicture& operator=(const CellPicture&) = delete;

  void set_title(const std::string& title);
  // One value per segment (segment_sites() order), in the scale's unit; NaN draws as no_value_colour.
  void set_values(std::span<const double> segment_values);
  void write_png(const std::string& path);

 private:
  struct Scene;
  DisplayLease lease_;  // first: the window below needs the display until it is gone
  std::unique_ptr<Scene> scene_;
};

}  // namespace apical::viz
