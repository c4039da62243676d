#include "apical/viz/cell_render.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "apical/io/cell_file.hpp"
#include "apical/io/morphology_file.hpp"
#include "apical/io/units.hpp"
#include "apical/viz/movie.hpp"

namespace apical::viz {
namespace {

struct Frames {
  QuantitySeries series;
  std::size_t segments;
};

Frames prepare(const CellRun& run, const CellRenderOptions& options) {
  Frames f{quantity_series(run, options.condition, options.quantity), run.recording.segments()};
  if (options.range) {
    if (!(options.range->second > options.range->first))
      throw std::invalid_argument("the colour range needs low < high");
    f.series.scale.low = options.range->first;
    f.series.scale.high = options.range->second;
  }
  return f;
}

void show_sample(CellPicture& picture, const CellRun& run, const Frames& f, std::size_t sample) {
  const auto first = f.series.values.begin() + static_cast<std::ptrdiff_t>(sample * f.segments);
  picture.set_values(std::span<const double>(&*first, f.segments));
  picture.set_title(run.recording.scenario + ": " + f.series.condition + ", t = " +
                    format_number(run.recording.time_ms[sample]) + " ms");
}

}  // namespace

void render_cell_run(const CellRun& run, const CellRenderOptions& options, double t_ms, const std::string& png) {
  const Frames f = prepare(run, options);
  const std::size_t sample = sample_at(run, t_ms);
  CellPicture picture(cell_shape(run.cell), f.series.scale, options.size);
  show_sample(picture, run, f, sample);
  picture.write_png(png);
}

Animation animate_cell_run(const CellRun& run, const CellRenderOptions& options, double t0_ms, double t1_ms,
                           int frames, double fps, const std::string& out_dir) {
  if (frames < 2) throw std::invalid_argument("an animation needs at least 2 frames");
  if (!(fps > 0)) throw std::invalid_argument("the frame rate must be positive");
  if (!(t1_ms > t0_ms)) throw std::invalid_argument("an animation runs from an earlier to a later time");
  (void)sample_at(run, t0_ms), (void)sample_at(run, t1_ms);  // both inside the recording
  const Frames f = prepare(run, options);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw std::runtime_error("cannot create the output folder " + out_dir + ": " + ec.message());
  CellPicture picture(cell_shape(run.cell), f.series.scale, options.size);
  Animation animation;
  const std::string pattern = (std::filesystem::path(out_dir) / "frame_%04d.png").string();
  for (int k = 0; k < frames; ++k) {
    const double t = t0_ms + (t1_ms - t0_ms) * k / (frames - 1);
    show_sample(picture, run, f, sample_at(run, t));
    char name[32];
    std::snprintf(name, sizeof name, "frame_%04d.png", k);
    animation.frames.push_back((std::filesystem::path(out_dir) / name).string());
    picture.write_png(animation.frames.back());
  }
  const std::string movie = (std::filesystem::path(out_dir) / "movie.mp4").string();
  if (encode_mp4(pattern, fps, movie)) animation.movie = movie;
  return animation;
}

void render_shape(const std::string& file, PictureSize size, const std::string& png) {
  const std::filesystem::path path(file);
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".json") {
    const CellDescription cell = load_cell_file(file);
    CellPicture picture(cell_shape(cell), std::nullopt, size);
    picture.set_title(cell.tracing ? cell.name : cell.name + " (schematic layout)");
    picture.write_png(png);
    return;
  }
  const Reconstruction reconstruction = read_reconstruction_file(file);
  CellPicture picture(reconstruction_shape(reconstruction), std::nullopt, size);
  picture.set_title(path.stem().string());
  picture.write_png(png);
}

}  // namespace apical::viz
