#pragma once
// The rig's built-in stimulus screen (docs/stimulus.md, rig.md §5): a full-screen sinusoidal grating,
// optionally in a Gaussian envelope (a Gabor patch), at the commanded angle, or black; and a
// photodiode patch in one corner that toggles black/white at every flip, so that its edges give the
// true presentation time of every frame.
//
// A render thread owns the SDL window and its OpenGL context and draws at the display's refresh
// (vsync). command() only stores the latest command, so the rig loop never waits for the screen.
//
// Angle convention (as PsychoPy's `ori`): 0° draws vertical bars (luminance varies along the screen's
// horizontal axis), angles turn the bars clockwise, 90° draws horizontal bars.
//
// Luminance: L(x) = mean·(1 + contrast·envelope(x)·cos(2π f·(x·n(θ)) + 2π f_t t)), x from the screen's
// centre, pixel value = L^(1/γ). Spatial scales in degrees are converted at the screen's centre (where
// the line of sight is perpendicular to a flat screen), without spherical correction.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "apical/bridge/stimulus_output.hpp"
#include "apical/engine/loop/trial_task.hpp"
#include "apical/io/json_reader.hpp"

namespace apical::bridge {

enum class ScreenCorner : std::uint8_t { top_left, top_right, bottom_left, bottom_right };

// Read from the rig file by read_display_settings(); the defaults are those of the declared parameters
// (stimuli/display.cpp), not these zeros.
struct GratingSettings {
  int display = 0;                        // SDL display index (0: the primary monitor)
  int width_px = 0, height_px = 0;        // a window of this size; 0 × 0: full screen
  double screen_width_cm = 0;             // physical width of the whole display
  double viewing_distance_cm = 0;         // eye to screen, along the perpendicular through the centre
  double cycles_per_deg = 0;              // spatial frequency f
  double temporal_frequency_hz = 0;       // f_t; 0: a static grating
  double gabor_sigma_deg = 0;             // envelope σ; 0: no envelope (full-screen grating)
  double contrast = 0;                    // Michelson, 0 … 1
  double mean_luminance = 0;              // fraction of the display's maximum
  double gamma = 1;                       // display gamma to undo (1: pixel values linear in L)
  ScreenCorner photodiode_corner = ScreenCorner::bottom_right;
  int photodiode_px = 0;                  // side of the square patch
  bool vsync = true;
};

// Thrown when the window or its OpenGL context cannot be made (no screen, no GL 2.1, bad index).
struct DisplayError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One drawn frame read back from the GPU: rows top to bottom, RGB, 8 bits each.
struct DisplayCapture {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
  std::uint64_t flip = 0;           // the flip that showed it
  bool photodiode_white = false;    // white on odd flips
  loop::Stimulus stimulus;
};

class GratingDisplay {
 public:
  // Opens the window and starts drawing black; DisplayError naming the cause if it cannot.
  explicit GratingDisplay(const GratingSettings& settings);
  ~GratingDisplay();
  GratingDisplay(const GratingDisplay&) = delete;
  GratingDisplay& operator=(const GratingDisplay&) = delete;

  // Never blocks on the screen: the render thread draws the latest command at its next flip.
  void command(std::uint64_t frame, const loop::Stimulus& stimulus);

  // Moves the presentations since the last call into `out` (appended).
  void take_presentations(std::vector<Presentation>& out);

  // Reads back the next frame drawn; waits for it (at most 2 s; DisplayError if none comes). For
  // tests and `apical display --capture`, not for the rig loop.
  [[nodiscard]] DisplayCapture capture();

  [[nodiscard]] std::uint64_t flips() const;
  [[nodiscard]] std::uint64_t late_flips() const;   // flip intervals over 1.5 refresh periods
  [[nodiscard]] std::string failure() const;        // why drawing stopped mid-way; empty while it runs
  [[nodiscard]] int width() const;                  // drawable size in pixels
  [[nodiscard]] int height() const;
  [[nodiscard]] double refresh_hz() const;          // the display's, or 60 when it does not say
  [[nodiscard]] bool paced_by_vsync() const;        // false: flips paced by the host clock instead
  [[nodiscard]] std::string renderer() const;       // "OpenGL 4.5 ... (llvmpipe ...) on x11"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a rig file's "display" stimulus section strictly (the parameters declared in
// stimuli/display.cpp), with errors naming the JSON path.
GratingSettings read_display_settings(const JsonValue& stimulus);

}  // namespace apical::bridge
