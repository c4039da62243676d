// apical display RIG.json: opens the grating display a rig file configures and shows a grating, black
// or the task's angles in turn, without a session: to check the screen, the angle convention, the
// photodiode and the command → flip delay before an experiment (docs/stimulus.md).
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <thread>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/grating_display.hpp"
#include "apical/io/suggest.hpp"
#include "apical/viz/rgb_png.hpp"
#include "commands.hpp"
#include "format.hpp"

namespace apical::cli {
namespace {

constexpr const char* display_usage = R"(usage: apical display RIG.json [--angle DEG | --black | --sweep] [--seconds S]
                      [--window WxH] [--capture PNG]

Opens the grating display that RIG.json's "stimulus" section configures ("type": "display"; only
that section is read) and shows a grating, a black screen or the task's angles in turn, with the
photodiode patch alternating black and white at every flip (docs/stimulus.md). Prints each new
picture's flip and its delay after the command, then the flip rate and late flips.

  --angle DEG     the grating at DEG degrees (default 45): 0 draws vertical bars, larger angles turn
                  them clockwise, 90 draws horizontal bars
  --black         a black screen
  --sweep         0, 15, ..., 90 degrees (the task's seven angles) and black, one second each, in turn
  --seconds S     how long (default 10; 0: until Ctrl-C)
  --window WxH    a window of W x H pixels instead of the rig file's size (e.g. on a desktop)
  --capture PNG   save the last frame drawn as a PNG
)";

std::atomic<bool> interrupted{false};

extern "C" void on_display_interrupt(int) { interrupted = true; }

double parse_number(const std::string& flag, const std::string& text, double min, double max) {
  double v = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (error != std::errc{} || end != text.data() + text.size() || !(v >= min && v <= max))
    throw UsageError(flag + " expects a number from " + fixed(min, 0) + " to " + fixed(max, 0) + ", got '" + text +
                     "'");
  return v;
}

struct DisplayOptions {
  std::string rig_file;
  std::optional<double> angle_deg;
  bool black = false, sweep = false;
  double seconds = 10;
  std::optional<std::pair<int, int>> window;
  std::optional<std::string> capture;
};

DisplayOptions parse(const std::vector<std::string>& args) {
  DisplayOptions o;
  std::optional<std::string> file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    if (a == "--angle") o.angle_deg = parse_number(a, value(), 0, 360);
    else if (a == "--black") o.black = true;
    else if (a == "--sweep") o.sweep = true;
    else if (a == "--seconds") o.seconds = parse_number(a, value(), 0, 1e6);
    else if (a == "--capture") o.capture = value();
    else if (a == "--window") {
      const std::string& size = value();
      const std::size_t x = size.find('x');
      if (x == std::string::npos) throw UsageError("--window expects WxH, e.g. 800x600, got '" + size + "'");
      o.window = {static_cast<int>(parse_number(a, size.substr(0, x), 16, 16384)),
                  static_cast<int>(parse_number(a, size.substr(x + 1), 16, 16384))};
    } else if (a.starts_with("--")) {
      throw UsageError("unknown option '" + a + "'" +
                       suggestion_suffix(a, {"--angle", "--black", "--sweep", "--seconds", "--window", "--capture",
                                             "--help"}));
    } else if (file) {
      throw UsageError("apical display takes one rig file, got '" + *file + "' and '" + a + "'");
    } else {
      file = a;
    }
  }
  if (!file) throw UsageError("apical display needs a rig file with a \"display\" stimulus section");
  if (int(o.angle_deg.has_value()) + int(o.black) + int(o.sweep) > 1)
    throw UsageError("give one of --angle, --black and --sweep");
  o.rig_file = *file;
  return o;
}

// What the screen shows `elapsed_s` into the check.
loop::Stimulus picture_at(const DisplayOptions& o, double elapsed_s) {
  if (o.black) return {true, 0.0};
  if (!o.sweep) return {false, o.angle_deg.value_or(45.0)};
  const auto step = static_cast<long>(elapsed_s) % 8;  // seven angles, then black
  return step == 7 ? loop::Stimulus{true, 0.0} : loop::Stimulus{false, 15.0 * double(step)};
}

std::string picture_text(const loop::Stimulus& s) { return s.black ? "black" : fixed(s.angle_deg, 1) + " deg"; }

}  // namespace

int display_command(const std::vector<std::string>& args) {
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << display_usage;
      return 0;
    }
  const DisplayOptions o = parse(args);
  const nlohmann::json document = read_json_file(o.rig_file);
  nlohmann::json section = JsonValue(document, o.rig_file).member("stimulus").raw();
  if (o.window) {
    section["width"] = o.window->first;
    section["height"] = o.window->second;
  }
  const bridge::GratingSettings settings = bridge::read_display_settings(JsonValue(section, o.rig_file, "/stimulus"));
  bridge::GratingDisplay display(settings);
  std::cout << "display " << settings.display << " (" << (settings.width_px == 0 ? "full screen " : "window ")
            << display.width() << "x" << display.height() << " at " << fixed(display.refresh_hz(), 0) << " Hz), "
            << display.renderer() << std::endl;

  interrupted = false;
  std::signal(SIGINT, on_display_interrupt);
  const std::int64_t start_ns = bridge::monotonic_ns();
  std::uint64_t changes = 0;
  std::optional<loop::Stimulus> commanded;
  std::vector<bridge::Presentation> shown;
  double elapsed = 0;
  while (!interrupted && (o.seconds == 0 || elapsed < o.seconds)) {
    const loop::Stimulus picture = picture_at(o, elapsed);
    if (!commanded || picture.black != commanded->black || picture.angle_deg != commanded->angle_deg) {
      display.command(changes++, picture);
      commanded = picture;
    }
    shown.clear();
    display.take_presentations(shown);
    for (const bridge::Presentation& p : shown)
      std::cout << "shown " << picture_text(p.stimulus) << " at flip " << p.flip << ", "
                << fixed(double(p.flipped_ns - p.commanded_ns) * 1e-6, 1) << " ms after the command" << std::endl;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    elapsed = double(bridge::monotonic_ns() - start_ns) * 1e-9;
  }
  std::signal(SIGINT, SIG_DFL);
  if (o.capture) {
    const bridge::DisplayCapture frame = display.capture();
    viz::write_rgb_png(*o.capture, frame.width, frame.height, frame.rgb);
  }
  const std::uint64_t flips = display.flips();
  std::cout << flips << " flips in " << fixed(elapsed, 1) << " s ("
            << fixed(elapsed > 0 ? double(flips) / elapsed : 0.0, 1) << " Hz), "
            << display.late_flips() << " late (over 1.5 refresh periods); "
            << (display.paced_by_vsync() ? "vsync in effect" : "vsync NOT in effect: flips paced by the host clock")
            << std::endl;
  if (o.capture) std::cout << "wrote " << *o.capture << std::endl;
  if (const std::string failure = display.failure(); !failure.empty())
    throw std::runtime_error("the display stopped: " + failure);
  return 0;
}

}  // namespace apical::cli
