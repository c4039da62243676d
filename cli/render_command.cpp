// apical render INPUT [options]: a cell (single-cell run folder, morphology or cell file) or one
// mouse's field of view (bci_cohort run folder) as PNG, or an animation of a single-cell run.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>

#include "apical/io/input_error.hpp"
#include "apical/io/suggest.hpp"
#include "apical/io/units.hpp"
#include "apical/viz/cell_render.hpp"
#include "apical/viz/field_of_view.hpp"
#include "commands.hpp"

namespace apical::cli {
namespace {

constexpr const char* render_usage = R"(usage: apical render INPUT [--out PATH] [options]

Draws a picture as PNG (docs/pictures.md). INPUT is one of:
  a single-cell run folder   the cell of its cell.json as tapered tubes (a cell imported from a
                             morphology in its real shape, else a schematic layout: the soma up,
                             children continuing, reversing or leaving obliquely), coloured by a
                             quantity recorded at every segment (the scenario needs "record_segments"),
                             with a colour bar (with units) and a scale bar (um)
  a bci_cohort run folder    one mouse's field of view: its neurons in their role colours (P+ vermillion,
                             P- blue, P0 grey) at schematic positions drawn from the mouse's seed
  a morphology (.swc, .asc)  the reconstruction's shape, coloured by neurite type
  a cell file (.json)        the cell's shape: traced, by neurite type, when it imports a morphology,
                             else in the schematic layout

options:
  --out PATH          the picture (default: render.png); with --animate the folder of frames
                      (default: frames)
  --quantity Q        single-cell runs: v (membrane potential, mV; the default), cai (free [Ca]i, uM)
                      or dff (dF/F of GCaMP7f in binding equilibrium with [Ca]i)
  --condition NAME    single-cell runs with several conditions: the one to draw
  --time MS           single-cell runs: the moment drawn (default: when the quantity peaks)
  --animate FROM:TO   single-cell runs: frames at even times from FROM to TO ms, frame_0000.png ...,
                      and movie.mp4 when ffmpeg is on PATH (without it the frames are kept)
  --frames N          frames of an animation (default 50)
  --fps F             frames per second of the movie (default 10)
  --range LO:HI       a fixed colour scale (default: the quantity's range over the whole recording)
  --mouse ID          bci_cohort runs: the mouse (default: the first)
  --size WxH          picture size in pixels (default 900x900)
  --help              show this help

Pictures need an X display; without $DISPLAY apical starts a private Xvfb when it is installed.
)";

struct RenderOptions {
  std::string input;
  std::optional<std::string> out, quantity, condition, mouse;
  std::optional<double> time_ms, fps;
  std::optional<std::pair<double, double>> animate, range;
  std::optional<int> frames;
  viz::PictureSize size;
};

double parse_number(const std::string& option, const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value))
    throw UsageError(option + " needs a number, got '" + text + "'");
  return value;
}

std::pair<double, double> parse_pair(const std::string& option, const std::string& text, char separator) {
  const std::size_t at = text.find(separator);
  if (at == std::string::npos)
    throw UsageError(option + " needs two numbers as A" + separator + "B, got '" + text + "'");
  return {parse_number(option, text.substr(0, at)), parse_number(option, text.substr(at + 1))};
}

RenderOptions parse(const std::vector<std::string>& args) {
  RenderOptions o;
  const std::vector<std::string> known{"--out", "--quantity", "--condition", "--time", "--animate", "--frames",
                                       "--fps", "--range", "--mouse", "--size", "--help"};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-') {
      if (std::find(known.begin(), known.end(), a) == known.end())
        throw UsageError("unknown option '" + a + "' for 'render'" + suggestion_suffix(a, known));
      if (i + 1 == args.size()) throw UsageError(a + " needs a value");
      const std::string& v = args[++i];
      if (a == "--out") o.out = v;
      if (a == "--quantity") o.quantity = v;
      if (a == "--condition") o.condition = v;
      if (a == "--mouse") o.mouse = v;
      if (a == "--time") o.time_ms = parse_number(a, v);
      if (a == "--fps") o.fps = parse_number(a, v);
      if (a == "--animate") o.animate = parse_pair(a, v, ':');
      if (a == "--range") o.range = parse_pair(a, v, ':');
      if (a == "--frames") {
        const double n = parse_number(a, v);
        if (n != std::floor(n) || n < 2 || n > 100000) throw UsageError("--frames needs a whole number from 2, got '" + v + "'");
        o.frames = static_cast<int>(n);
      }
      if (a == "--size") {
        const auto [w, h] = parse_pair(a, v, 'x');
        if (w != std::floor(w) || h != std::floor(h) || w < 200 || h < 200 || w > 8000 || h > 8000)
          throw UsageError("--size needs WIDTHxHEIGHT in whole pixels from 200 to 8000, got '" + v + "'");
        o.size = {static_cast<int>(w), static_cast<int>(h)};
      }
    } else if (o.input.empty()) {
      o.input = a;
    } else {
      throw UsageError("'render' takes one input; got '" + o.input + "' and '" + a + "'");
    }
  }
  if (o.input.empty()) throw UsageError("'render' needs a run folder, a morphology or a cell file");
  if (o.time_ms && o.animate) throw UsageError("--time and --animate exclude each other");
  if ((o.frames || o.fps) && !o.animate) throw UsageError("--frames and --fps belong to --animate");
  return o;
}

// Options that only single-cell runs take, named when given for another input.
void reject_cell_options(const RenderOptions& o, const std::string& what) {
  const std::pair<bool, const char*> given[] = {{o.quantity.has_value(), "--quantity"}, {o.condition.has_value(), "--condition"},
                                                {o.time_ms.has_value(), "--time"}, {o.animate.has_value(), "--animate"},
                                                {o.range.has_value(), "--range"}};
  for (const auto& [is_given, name] : given)
    if (is_given) throw UsageError(std::string(name) + " applies to single-cell run folders, not to " + what);
}

// The sample where the series is largest anywhere on the cell.
double peak_time(const viz::CellRun& run, const viz::CellRenderOptions& options) {
  const viz::QuantitySeries s = viz::quantity_series(run, options.condition, options.quantity);
  const auto peak = std::max_element(s.values.begin(), s.values.end());
  return run.recording.time_ms[static_cast<std::size_t>(peak - s.values.begin()) / run.recording.segments()];
}

int render_cell(const RenderOptions& o) {
  const viz::CellRun run = viz::load_cell_run(o.input);
  viz::CellRenderOptions options;
  options.condition = o.condition.value_or("");
  if (o.quantity) {
    try {
      options.quantity = viz::parse_quantity(*o.quantity);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--quantity: ") + e.what());
    }
  }
  options.range = o.range;
  options.size = o.size;
  if (o.animate) {
    const std::string out = o.out.value_or("frames");
    const viz::Animation a =
        viz::animate_cell_run(run, options, o.animate->first, o.animate->second, o.frames.value_or(50), o.fps.value_or(10.0), out);
    std::cout << "wrote " << a.frames.size() << " frames to " << out << " (frame_0000.png ...)\n";
    if (a.movie)
      std::cout << "wrote " << *a.movie << '\n';
    else
      std::cout << "ffmpeg is not on PATH: no movie; the frames are kept (install ffmpeg, or encode them yourself)\n";
    return 0;
  }
  const double t = o.time_ms.value_or(peak_time(run, options));
  const std::string out = o.out.value_or("render.png");
  viz::render_cell_run(run, options, t, out);
  std::cout << "wrote " << out << " (t = " << format_number(t) << " ms)\n";
  return 0;
}

int render(const RenderOptions& o) {
  namespace fs = std::filesystem;
  if (!fs::exists(o.input)) throw InputError(o.input, "", "no such file or folder");
  const std::string out = o.out.value_or("render.png");
  if (fs::is_directory(o.input)) {
    if (fs::exists(fs::path(o.input) / "mice")) {
      reject_cell_options(o, "bci_cohort run folders");
      viz::render_field_of_view(viz::read_field_of_view(o.input, o.mouse.value_or("")), o.size, out);
      std::cout << "wrote " << out << '\n';
      return 0;
    }
    if (!fs::exists(fs::path(o.input) / "traces.h5"))
      throw InputError(o.input, "", "neither a single-cell run folder (traces.h5, cell.json) nor a bci_cohort run "
                                    "folder (mice/)");
    if (o.mouse) throw UsageError("--mouse applies to bci_cohort run folders");
    return render_cell(o);
  }
  reject_cell_options(o, "morphology and cell files");
  if (o.mouse) throw UsageError("--mouse applies to bci_cohort run folders");
  viz::render_shape(o.input, o.size, out);
  std::cout << "wrote " << out << '\n';
  return 0;
}

}  // namespace

int render_command(const std::vector<std::string>& args) {
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << render_usage;
      return 0;
    }
  const RenderOptions options = parse(args);
  try {
    return render(options);
  } catch (const viz::NoDisplayError& e) {
    std::cerr << e.what() << '\n';  // says what to install or set
    return 1;
  }
}

}  // namespace apical::cli
