// display: the grating drawn by apical itself on a screen of the rig machine (GratingDisplay: SDL2
// window, OpenGL, vsync, photodiode patch). The render thread takes the latest command, so show()
// returns at once; what it reports back (the flip that first showed each new picture, late flips, a
// display that stopped) is logged from show(), on the rig loop's thread.
#include <cstdio>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/grating_display.hpp"
#include "apical/bridge/stimulus_output.hpp"

namespace apical::bridge {
namespace {

using Kind = SourceParameter::Kind;

const std::vector<SourceParameter>& display_parameters() {
  static const std::vector<SourceParameter> parameters{
      {"display", Kind::integer, "1", 0, 15, {}, 0, "which monitor (SDL display index; 0: the primary one)"},
      {"width", Kind::integer, "1", 0, 16384, {}, 0, "window width in pixels; 0 with height 0: full screen"},
      {"height", Kind::integer, "1", 0, 16384, {}, 0, "window height in pixels; 0 with width 0: full screen"},
      {"screen_width", Kind::quantity, "cm", 1, 1000, {}, nullptr, "physical width of the whole display"},
      {"viewing_distance", Kind::quantity, "cm", 1, 1000, {}, nullptr,
       "from the eye to the screen, perpendicular through the screen's centre"},
      {"spatial_frequency", Kind::quantity, "cycles/deg", 0.001, 5, {}, "0.04 cycles/deg",
       "grating cycles per degree of visual angle at the screen's centre"},
      {"temporal_frequency", Kind::quantity, "Hz", 0, 30, {}, "0 Hz", "drift rate; 0: a static grating"},
      {"gabor_sigma", Kind::quantity, "deg", 0, 180, {}, "0 deg",
       "σ of a Gaussian envelope around the centre (a Gabor patch); 0: the grating fills the screen"},
      {"contrast", Kind::quantity, "1", 0, 1, {}, 1, "Michelson contrast"},
      {"mean_luminance", Kind::quantity, "1", 0, 1, {}, 0.5, "mean level, as a fraction of the display's maximum"},
      {"gamma", Kind::quantity, "1", 0.5, 4, {}, 1, "display gamma to undo (pixel = level^(1/gamma)); 1: none"},
      {"photodiode_corner", Kind::choice, "1", 0, 0, {"top_left", "top_right", "bottom_left", "bottom_right"},
       "bottom_right", "corner of the photodiode patch, black/white alternately at every flip"},
      {"photodiode_size", Kind::integer, "1", 4, 2000, {}, 60, "side of the square photodiode patch in pixels"},
      {"vsync", Kind::flag, "1", 0, 0, {}, true, "flip at the display's vertical blank"}};
  return parameters;
}

ScreenCorner corner(const std::string& name) {
  if (name == "top_left") return ScreenCorner::top_left;
  if (name == "top_right") return ScreenCorner::top_right;
  if (name == "bottom_left") return ScreenCorner::bottom_left;
  return ScreenCorner::bottom_right;
}

GratingSettings lower(const SourceSettings& s) {
  GratingSettings g;
  g.display = static_cast<int>(s.integer("display"));
  g.width_px = static_cast<int>(s.integer("width"));
  g.height_px = static_cast<int>(s.integer("height"));
  if ((g.width_px == 0) != (g.height_px == 0))
    s.fail(g.width_px == 0 ? "width" : "height", "give both width and height for a window, or neither for full screen");
  g.screen_width_cm = s.number("screen_width");
  g.viewing_distance_cm = s.number("viewing_distance");
  g.cycles_per_deg = s.number("spatial_frequency");
  g.temporal_frequency_hz = s.number("temporal_frequency");
  g.gabor_sigma_deg = s.number("gabor_sigma");
  g.contrast = s.number("contrast");
  g.mean_luminance = s.number("mean_luminance");
  if (g.mean_luminance * (1.0 + g.contrast) > 1.0 + 1e-12)
    s.fail("contrast", "the grating would clip: mean_luminance × (1 + contrast) = " +
                           std::to_string(g.mean_luminance * (1.0 + g.contrast)) +
                           " exceeds the display's maximum (1)");
  g.gamma = s.number("gamma");
  g.photodiode_corner = corner(s.text("photodiode_corner"));
  g.photodiode_px = static_cast<int>(s.integer("photodiode_size"));
  g.vsync = s.flag("vsync");
  return g;
}

std::string angle_text(const loop::Stimulus& stimulus) {
  if (stimulus.black) return "black";
  char text[32];
  std::snprintf(text, sizeof text, "%.3f deg", stimulus.angle_deg);
  return text;
}

constexpr std::int64_t late_flip_report_ns = 60'000'000'000;  // late flips are summed up once a minute

class DisplayStimulus final : public StimulusOutput {
 public:
  DisplayStimulus(const SourceSettings& s, EventLog log) : StimulusOutput(std::move(log)), settings_(lower(s)) {
    try {
      display_ = std::make_unique<GratingDisplay>(settings_);
    } catch (const DisplayError& e) {
      s.fail("display", std::string("cannot open the grating display: ") + e.what());
    }
    this->log("STIMULUS " + describe() + ", " + display_->renderer() + ", photodiode patch " +
              std::to_string(settings_.photodiode_px) + " px " + s.text("photodiode_corner"));
    warn_without_vsync();
    last_report_ns_ = monotonic_ns();
  }

  void show(const StimulusCommand& command) override {
    display_->command(command.frame, command.stimulus);
    if (lost_) {
      ++counters_.failed;
      return;
    }
    ++counters_.sent;
    warn_without_vsync();
    report_late_flips();
    if (const std::string failure = display_->failure(); !failure.empty()) {
      lost_ = true;
      log("STIMULUS DISPLAY LOST: " + failure + " (the session goes on without a screen)");
    }
  }

  // Logs each new presentation once as it hands it over (the session takes them after every show()).
  void take_presentations(std::vector<Presentation>& out) override {
    const std::size_t first_new = out.size();
    display_->take_presentations(out);
    for (std::size_t k = first_new; k < out.size(); ++k) {
      const Presentation& p = out[k];
      char delay[32];
      std::snprintf(delay, sizeof delay, "%.1f", static_cast<double>(p.flipped_ns - p.commanded_ns) * 1e-6);
      log("STIMULUS SHOWN frame " + std::to_string(p.frame) + " " + angle_text(p.stimulus) + " at flip " +
          std::to_string(p.flip) + ", " + delay + " ms after the command");
    }
  }

  [[nodiscard]] std::string describe() const override {
    const std::string size = std::to_string(display_->width()) + "x" + std::to_string(display_->height());
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f Hz", display_->refresh_hz());
    return "display " + std::to_string(settings_.display) + " (" +
           (settings_.width_px == 0 ? "full screen " : "window ") + size + " at " + rate + ")";
  }

 private:
  void warn_without_vsync() {
    if (!settings_.vsync || vsync_warned_ || display_->paced_by_vsync()) return;
    vsync_warned_ = true;
    log("STIMULUS " + describe() +
        ": vsync is not in effect (flips came faster than the refresh, or the driver refused it); flips are "
        "paced by the host clock and presentation times are not locked to the screen's refresh");
  }

  void report_late_flips() {
    const std::int64_t now = monotonic_ns();
    if (now - last_report_ns_ < late_flip_report_ns) return;
    last_report_ns_ = now;
    const std::uint64_t late = display_->late_flips();
    if (late > late_reported_)
      log("STIMULUS " + std::to_string(late - late_reported_) +
          " late flips (over 1.5 refresh periods) in the last minute, " + std::to_string(late) + " of " +
          std::to_string(display_->flips()) + " in all");
    late_reported_ = late;
  }

  GratingSettings settings_;
  std::unique_ptr<GratingDisplay> display_;
  bool lost_ = false;
  bool vsync_warned_ = false;
  std::int64_t last_report_ns_ = 0;
  std::uint64_t late_reported_ = 0;
};

}  // namespace

GratingSettings read_display_settings(const JsonValue& stimulus) {
  (void)stimulus.member("type").as_choice({"display"});  // a rig file whose stimulus is another output
  return lower(SourceSettings(stimulus, display_parameters()));
}

void register_display(StimulusOutputRegistry& registry) {
  registry.add({"display",
                "the grating (or black) drawn full screen by apical itself, at vsync, with a photodiode patch that "
                "toggles at every flip (docs/stimulus.md)",
                display_parameters()},
               [](const SourceSettings& s, StimulusOutput::EventLog log) -> std::unique_ptr<StimulusOutput> {
                 return std::make_unique<DisplayStimulus>(s, std::move(log));
               });
}

}  // namespace apical::bridge
