#pragma once
// `apical render` of one cell (docs/pictures.md): a still picture or an animation of a single-cell
// run coloured by a recorded quantity, or the shape alone of a morphology or cell file. Each entry
// point holds a DisplayLease while drawing (NoDisplayError where no X display can be had).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "apical/viz/cell_picture.hpp"
#include "apical/viz/cell_run.hpp"

namespace apical::viz {

struct CellRenderOptions {
  std::string condition;                          // empty: the run's only condition
  Quantity quantity = Quantity::v;
  std::optional<std::pair<double, double>> range;  // colour scale; default: the series' range
  PictureSize size;
};

// The picture at the recorded sample nearest to t_ms.
void render_cell_run(const CellRun& run, const CellRenderOptions& options, double t_ms, const std::string& png);

struct Animation {
  std::vector<std::string> frames;  // out_dir/frame_0000.png, …
  std::optional<std::string> movie;  // out_dir/movie.mp4, unless ffmpeg is missing
};

// `frames` (≥ 2) pictures at evenly spaced times from t0 to t1 (both inside the recording, t0 < t1),
// one colour scale for all, then movie.mp4 at `fps` when ffmpeg is on PATH.
Animation animate_cell_run(const CellRun& run, const CellRenderOptions& options, double t0_ms, double t1_ms,
                           int frames, double fps, const std::string& out_dir);

// The shape of a reconstruction (.swc, .asc; coloured by neurite type) or of a cell file (.json; its
// traced shape in neurite colours when it imports a morphology, else the schematic layout). InputError
// naming the file for a missing or malformed one.
void render_shape(const std::string& file, PictureSize size, const std::string& png);

}  // namespace apical::viz
